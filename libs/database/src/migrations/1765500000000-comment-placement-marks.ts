import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a closed round's comments are read, decided once and kept (`comment_placement`), and
 * what leaders did about them (`comment_mark`).
 *
 * - A placement row says, for one unit comments were written in, at which unit they are shown
 *   (null: nowhere). It is written the first time anyone reads the round's comments and never
 *   changed: placing the same comments again on a tree reorganised since would show a second
 *   family of pools, and two families of one round's texts subtract.
 * - A mark is keyed by the comment's shown id, an HMAC of its row under the application's
 *   marking key: nothing in the row names the `comment` row, the author or when they wrote.
 *   It carries the round and the unit the comment is shown at (both already shown beside it),
 *   the day only, and optionally one of that unit's commitments.
 */
export class CommentPlacementMarks1765500000000 implements MigrationInterface {
  name = 'CommentPlacementMarks1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table comment_placement (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        -- the unit the comments were written in
        unit_id uuid not null,
        -- where they are read; null when not shown
        shown_at uuid references unit(id) on delete cascade,
        -- people who commented in unit_id (one sealed row each)
        authors int not null check (authors > 0),
        primary key (round_id, unit_id)
      )`);
    await q.query(`create index comment_placement_shown on comment_placement (shown_at, round_id)`);
    await q.query(`
      create table comment_mark (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        shown_at uuid not null references unit(id) on delete cascade,
        comment_key text not null check (comment_key ~ '^[A-Za-z0-9_-]{22}$'),
        status text not null check (status in ('acknowledged', 'acted_on')),
        commitment_id uuid references commitment(id) on delete set null,
        marked_on date not null,
        primary key (round_id, comment_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists comment_mark`);
    await q.query(`drop table if exists comment_placement`);
  }
}
