import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The anonymity decision each round's results were computed under, per unit and per unit's own
 * respondents (`own`). Aggregation now stores only figures that may be shown; readers take
 * the decision from here instead of deciding again on a tree or settings that may have changed
 * since, so what they show is exactly what was gated when the results were written.
 */
export class RoundUnitVisibility1764100000000 implements MigrationInterface {
  name = 'RoundUnitVisibility1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table round_unit_visibility (
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        -- true for the people who answered directly in the unit, apart from the units below it
        own boolean not null,
        -- distinct people, a person in two teams counted once
        respondents int not null check (respondents >= 0),
        shown boolean not null,
        reason text not null check (reason in ('shown', 'round_open', 'below_minimum', 'complementary')),
        primary key (round_id, unit_id, own)
      )`);
    // The results of rounds aggregated before this table existed hold figures of hidden groups:
    // they are dropped, and the rounds marked for aggregation again.
    await q.query(`delete from flag`);
    await q.query(`delete from item_result`);
    await q.query(`delete from unit_result`);
    await q.query(`update team_round set autonomy = null, alignment = null, support = null,
                   control = null, safety = null, quadrant = null`);
    await q.query(`update round set aggregated_at = null where aggregated_at is not null`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists round_unit_visibility`);
  }
}
