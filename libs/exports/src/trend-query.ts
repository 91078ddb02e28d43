import { AGREEMENT_CUTOFF } from '@trellis/reporting';
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
  // Added later, at the end so existing readers keep their columns (issue 15).
  'sd',
  'low_agreement',
  'item_rwg',
  'icc1',
  'icc2',
  'alpha',
] as const;

export type TrendColumn = (typeof TREND_COLUMNS)[number];
export type TrendRow = Record<TrendColumn, string | number | null>;

/** The sort key of a row in the data API, for keyset pagination. */
export interface TrendKey {
  periodStart: string;
  roundId: string;
  unitId: string;
  position: number;
}

const SCOPE = 'pg_temp.trend_scope';
const DIMENSION = 'pg_temp.trend_dimension';

const flagOrder = `array[${FLAG_CODES.map((c) => `'${c}'`).join(', ')}]::text[]`;

/** Rounded in float8 arithmetic, which is cheaper than numeric and prints the same digits. */
const rounded = (e: string, digits: number) => `round(${e} * 1e${digits}) / 1e${digits}`;

/**
 * One row per unit × round × dimension from the scope tables, which hold the anonymity
 * decisions stored when the round was aggregated, and from the results, which hold only what
 * those decisions let through: a suppressed unit or figure keeps its respondent count and has
 * no number; the quadrant and flags also need the unit's own respondents to be shown. A unit's
 * aggregate is its rollup when units below it answered too, as in the reports. Files read the scope in `seq` order (rounds
 * oldest first, units by path), so their rows come out sorted without sorting them; pages of the
 * data API follow ids, which a keyset cursor can compare.
 */
export function trendSql(options: { page?: boolean } = {}): string {
  // A figure is shown when its unit is and aggregation stored it: a dimension resting on fewer
  // than k people, or withheld so it cannot be subtracted, has no row, only a status.
  const shown = (e: string) => `case when s.shown and res.n is not null then ${e} end`;
  return `
    with flags as (
      select f.round_id, f.unit_id,
             string_agg(f.code || ' (' || f.level || ')', '; ' order by array_position(${flagOrder}, f.code), f.code) as list
        from flag f
       where f.round_id in (select distinct round_id from ${SCOPE})
       group by f.round_id, f.unit_id
    )
    select s.period_start,
           s.period_end,
           s.unit_path,
           s.unit_name as team,
           s.unit_kind,
           d.key as dimension,
           d.name as dimension_name,
           case when s.shown and res.n is not null then 'shown' else 'suppressed' end as status,
           s.respondents,
           ${rounded('tr.response_rate * 100', 1)} as response_rate_pct,
           ${shown('res.n')} as n,
           ${shown(rounded('res.mean', 3))} as mean,
           ${shown(rounded('res.ci_low', 3))} as ci_low,
           ${shown(rounded('res.ci_high', 3))} as ci_high,
           ${shown(rounded('res.score', 1))} as score_0_100,
           ${shown(rounded('res.favourable * 100', 1))} as favourable_pct,
           ${shown(rounded('res.rwg_j', 3))} as rwg_j,
           case when s.own_shown then tr.quadrant end as quadrant,
           case when s.own_shown then fl.list end as flags,
           s.round_id,
           s.unit_id,
           ${shown(rounded('res.sd', 3))} as sd,
           ${shown(`case when res.rwg_j is null then null when res.rwg_j < ${AGREEMENT_CUTOFF} then 'yes' else 'no' end`)} as low_agreement,
           case when s.own_shown then (
             select string_agg(ir.item_key || '=' || (${rounded('ir.rwg', 3)})::text, '; ' order by ir.item_key)
               from item_result ir
              where ir.round_id = s.round_id and ir.unit_id = s.unit_id and ir.item_key = any(d.items) and ir.rwg is not null
           ) end as item_rwg,
           ${rounded('d.icc1', 3)} as icc1,
           ${rounded('d.icc2', 3)} as icc2,
           ${rounded('d.alpha', 3)} as alpha${options.page ? ', d.position' : ''}
      from ${SCOPE} s
      join ${DIMENSION} d on d.round_id = s.round_id
      left join lateral (
        select ur.n, ur.mean, ur.ci_low, ur.ci_high, ur.score, ur.favourable, ur.rwg_j, ur.sd
          from unit_result ur
         where ur.round_id = s.round_id and ur.unit_id = s.unit_id and ur.dimension = d.key
         order by ur.rollup desc
         limit 1
      ) res on true
      left join team_round tr on tr.round_id = s.round_id and tr.unit_id = s.unit_id
      left join flags fl on fl.round_id = s.round_id and fl.unit_id = s.unit_id
     ${
       options.page
         ? `where (s.period_start, s.round_id, s.unit_id, d.position) > ($1::text, $2::uuid, $3::uuid, $4::int)
            order by s.period_start, s.round_id, s.unit_id, d.position
            limit $5`
         : 'order by s.seq, d.position'
     }`;
}

/** The scope tables; they vanish with the transaction. */
export const SCOPE_DDL = [
  `create temp table trend_scope (
     seq bigint not null, round_id uuid not null, period_start text not null, period_end text not null,
     unit_id uuid not null, unit_path text not null, unit_name text not null, unit_kind text not null,
     respondents integer not null, shown boolean not null, own_shown boolean not null
   ) on commit drop`,
  `create temp table trend_dimension (
     round_id uuid not null, key text not null, name text not null, position integer not null,
     items text[] not null, icc1 float8, icc2 float8, alpha float8
   ) on commit drop`,
];

/** The scope arrives by COPY, one CSV line per unit and round, already numbered in file order. */
export const COPY_SCOPE = `copy ${SCOPE} (seq, round_id, period_start, period_end, unit_id, unit_path,
  unit_name, unit_kind, respondents, shown, own_shown) from stdin with (format csv)`;

/** Items arrive as one comma-joined string per dimension (unnest cannot take an array of arrays of different lengths). */
export const FILL_DIMENSIONS = `insert into ${DIMENSION}
  select round_id, key, name, position, string_to_array(items, ','), icc1, icc2, alpha
    from unnest($1::uuid[], $2::text[], $3::text[], $4::int[], $5::text[], $6::float8[], $7::float8[], $8::float8[])
      as t(round_id, key, name, position, items, icc1, icc2, alpha)`;

/**
 * Settings for the export's transaction: JIT compilation costs more than it saves on a query
 * that runs once, and memoizing unique lookups only adds work.
 */
export const EXPORT_SETTINGS = ['set local jit = off', 'set local enable_memoize = off'];

export const INDEX_SCOPE = [
  `create index on ${SCOPE} (seq)`,
  `create index on ${DIMENSION} (round_id, position)`,
  `analyze ${SCOPE}`,
  `analyze ${DIMENSION}`,
];
