import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What aggregation computes for a closed round. Everything is stored, including groups too small
 * to show: what may leave the server is decided when reading, by one anonymity module.
 * Natural keys make every write an idempotent replace.
 */
export class Results1763920000000 implements MigrationInterface {
  name = 'Results1763920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table unit_result (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        dimension text not null,
        -- false for a team's own respondents, true for a rollup over the teams below a unit
        rollup boolean not null,
        n int not null,
        mean float8, sd float8, se float8, ci_low float8, ci_high float8, score float8,
        favourable float8, unfavourable float8, rwg_j float8, percentile float8,
        primary key (round_id, unit_id, dimension, rollup)
      )`);
    await q.query(`create index unit_result_unit on unit_result (unit_id, dimension)`);
    await q.query(`
      create table item_result (
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        item_key text not null,
        n int not null,
        mean float8, variance float8, rwg float8,
        -- answers per scale point, lowest first
        distribution int[] not null,
        primary key (round_id, unit_id, item_key)
      )`);
    await q.query(`
      create table organisation_result (
        round_id uuid not null references round(id) on delete cascade,
        dimension text not null,
        respondents int not null,
        teams int not null,
        icc1 float8, icc2 float8, alpha float8,
        primary key (round_id, dimension)
      )`);
    await q.query(`
      create table team_round (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        respondents int not null,
        invited int,
        response_rate float8,
        comments int not null default 0,
        autonomy float8, alignment float8, support float8, control float8, safety float8,
        quadrant text,
        primary key (round_id, unit_id)
      )`);
    await q.query(`
      create table leader_self_result (
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        dimension text not null,
        mean float8 not null,
        primary key (round_id, unit_id, dimension)
      )`);
    await q.query(`
      create table flag (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        unit_id uuid not null references unit(id) on delete cascade,
        code text not null,
        level text not null check (level in ('watch', 'confirmed')),
        evidence jsonb not null,
        explanation text not null,
        actions jsonb not null,
        primary key (round_id, unit_id, code)
      )`);
    await q.query(`create index flag_unit on flag (unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'flag',
      'leader_self_result',
      'team_round',
      'organisation_result',
      'item_result',
      'unit_result',
    ]) {
      await q.query(`drop table if exists ${t}`);
    }
  }
}
