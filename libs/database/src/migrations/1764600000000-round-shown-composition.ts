import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No subtraction over time: what each shown aggregate of a round was made of (team id →
 * respondents), kept across re-derivations so that a round derived again after a
 * reorganisation cannot show an aggregate differing from an earlier shown one by 1..k−1 people.
 * `key` is the md5 of the canonical jsonb text, so a composition is kept once however often it
 * is shown (an index on the jsonb itself would outgrow a btree row for large units).
 * The `history` reason is what `round_unit_visibility` records for a unit withheld for it.
 */
export class RoundShownComposition1764600000000 implements MigrationInterface {
  name = 'RoundShownComposition1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table round_shown_composition (
        round_id uuid not null references round(id) on delete cascade,
        key text not null,
        composition jsonb not null,
        primary key (round_id, key)
      )`);
    await q.query(
      `alter table round_unit_visibility drop constraint round_unit_visibility_reason_check`,
    );
    await q.query(`alter table round_unit_visibility add constraint round_unit_visibility_reason_check
                   check (reason in ('shown', 'round_open', 'below_minimum', 'complementary', 'history'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`delete from round_unit_visibility where reason = 'history'`);
    await q.query(
      `alter table round_unit_visibility drop constraint round_unit_visibility_reason_check`,
    );
    await q.query(`alter table round_unit_visibility add constraint round_unit_visibility_reason_check
                   check (reason in ('shown', 'round_open', 'below_minimum', 'complementary'))`);
    await q.query(`drop table if exists round_shown_composition`);
  }
}
