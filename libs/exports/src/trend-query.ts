import { FLAG_CODES } from '@trellis/scoring';

/** The export's columns, in order; CSV headers, XLSX headers and the data API's keys. */
export const TREND_COLUMNS = [
  'period_start',
  'period_end',
  'unit_path',
  'team',
  'unit_kind',
  'dimension',
  'dimension_name',
  'status',
  'respondents',
  'response_rate_pct',
  'n',
  'mean',
  'ci_low',
  'ci_high',
  'score_0_100',
  'favourable_pct',
  'rwg_j',
  'quadrant',
  'flags',
  'round_id',
  'unit_id',
] as const;

export type TrendColumn = (typeof TREND_COLUMNS)[number];
export type TrendRow = Record<TrendColumn, string | number | null>;

/** The sort key of a row, for keyset pagination. */
export interface TrendKey {
  periodStart: string;
  roundId: string;
  unitPath: string;
  unitId: string;
  position: number;
}

export const SCOPE_TABLE = 'pg_temp.trend_scope';
export const DIMENSION_TABLE = 'pg_temp.trend_dimension';

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return that
 * some programs strip first) gets a leading apostrophe, so it is shown as text (OWASP's advice
 * for CSV injection). Only names people typed pass through here; numbers are never quoted.
 */
function inert(expression: string): string {
  return `case when ${expression} ~ '^[=+@\\t\\r-]' then '''' || ${expression} else ${expression} end`;
}

const flagOrder = `array[${FLAG_CODES.map((c) => `'${c}'`).join(', ')}]::text[]`;

/**
 * One row per unit × round × dimension from the scope tables, which hold the anonymity
 * decisions: a suppressed unit keeps its respondent count and loses every number; the quadrant
 * and flags also need the unit's own respondents to be shown. A unit's aggregate is its rollup
 * when units below it answered too, as in the reports.
 */
export function trendSql(options: { forSpreadsheet: boolean; page?: boolean }): string {
  const text = options.forSpreadsheet ? inert : (e: string) => e;
  const shown = (e: string) => `case when s.shown then ${e} end`;
  return `
    with flags as (
      select f.round_id, f.unit_id,
             string_agg(f.code || ' (' || f.level || ')', '; ' order by array_position(${flagOrder}, f.code), f.code) as list
        from flag f
       where f.round_id in (select distinct round_id from ${SCOPE_TABLE})
       group by f.round_id, f.unit_id
    )
    select to_char(r.period_start, 'YYYY-MM-DD') as period_start,
           to_char(r.period_end, 'YYYY-MM-DD') as period_end,
           ${text('s.unit_path')} as unit_path,
           ${text('s.unit_name')} as team,
           s.unit_kind,
           d.key as dimension,
           ${text('d.name')} as dimension_name,
           case when s.shown then 'shown' else 'suppressed' end as status,
           s.respondents,
           round((tr.response_rate * 100)::numeric, 1)::float8 as response_rate_pct,
           ${shown('res.n')} as n,
           ${shown('round(res.mean::numeric, 3)::float8')} as mean,
           ${shown('round(res.ci_low::numeric, 3)::float8')} as ci_low,
           ${shown('round(res.ci_high::numeric, 3)::float8')} as ci_high,
           ${shown('round(res.score::numeric, 1)::float8')} as score_0_100,
           ${shown('round((res.favourable * 100)::numeric, 1)::float8')} as favourable_pct,
           ${shown('round(res.rwg_j::numeric, 3)::float8')} as rwg_j,
           case when s.own_shown then tr.quadrant end as quadrant,
           case when s.own_shown then fl.list end as flags,
           r.id as round_id,
           s.unit_id${options.page ? ', d.position' : ''}
      from ${SCOPE_TABLE} s
      join round r on r.id = s.round_id
      join ${DIMENSION_TABLE} d on d.round_id = s.round_id
      join lateral (
        select ur.n, ur.mean, ur.ci_low, ur.ci_high, ur.score, ur.favourable, ur.rwg_j
          from unit_result ur
         where ur.round_id = s.round_id and ur.unit_id = s.unit_id and ur.dimension = d.key
         order by ur.rollup desc
         limit 1
      ) res on true
      left join team_round tr on tr.round_id = s.round_id and tr.unit_id = s.unit_id
      left join flags fl on fl.round_id = s.round_id and fl.unit_id = s.unit_id
     ${
       options.page
         ? `where (r.period_start, r.id, s.unit_path, s.unit_id, d.position) > ($1::date, $2::uuid, $3::text, $4::uuid, $5::int)`
         : ''
     }
     order by r.period_start, r.id, s.unit_path, s.unit_id, d.position
     ${options.page ? 'limit $6' : ''}`;
}

/** Creates and fills the scope tables; they vanish with the transaction. */
export const SCOPE_DDL = [
  `create temp table trend_scope (
     round_id uuid not null, unit_id uuid not null, unit_path text not null, unit_name text not null,
     unit_kind text not null, respondents integer not null, shown boolean not null, own_shown boolean not null
   ) on commit drop`,
  `create temp table trend_dimension (
     round_id uuid not null, key text not null, name text not null, position integer not null
   ) on commit drop`,
];

export const FILL_SCOPE = `insert into ${SCOPE_TABLE}
  select * from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bool[], $8::bool[])`;

export const FILL_DIMENSIONS = `insert into ${DIMENSION_TABLE}
  select * from unnest($1::uuid[], $2::text[], $3::text[], $4::int[])`;
