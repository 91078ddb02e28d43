import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Favourable now means the healthy side of every dimension: on over-control it counted the
 * people who agree with over-control statements. Favourable shares are stored with each result,
 * and flag texts now quote figures as the pages print them, so every organisation's closed
 * rounds are re-derived: bumping the results epoch makes them stale ("being recomputed"), and
 * the reconciler and scheduler queue them oldest first, as after any change of results' inputs.
 */
export class FavourableDirection1765300000000 implements MigrationInterface {
  name = 'FavourableDirection1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`select bump_results_epoch(id) from organisation`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the older code re-derives its own way when the epoch moves again.
  }
}
