import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InstrumentDef } from '@trellis/surveys';

export interface RoundFacts {
  id: string;
  organisationId: string;
  status: string;
  periodStart: string;
  versionId: string;
  definition: InstrumentDef;
  itemKeys: string[];
  settings: Record<string, unknown>;
}

/** Per team × dimension, over person scores (a person counts when they answered at least half the dimension's items). */
export interface TeamDimensionRow {
  unitId: string;
  dimension: string;
  n: number;
  sum: number;
  sumSquares: number;
  favourable: number;
  unfavourable: number;
}

export interface ItemRow {
  unitId: string;
  itemKey: string;
  dimension: string;
  n: number;
  mean: number | null;
  variance: number | null;
  distribution: number[];
}

export interface AlphaRow {
  dimension: string;
  items: number;
  itemVarianceSum: number | null;
  totalVariance: number | null;
}

export interface ParticipationRow {
  unitId: string;
  invited: number;
  respondents: number;
  comments: number;
}

export interface UnitRow {
  id: string;
  parentId: string | null;
  kind: string;
}

export interface PreviousRow {
  unitId: string;
  roundId: string;
  dimension: string;
  n: number;
  mean: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

// Shared by the queries below: the round's asked items with their dimension and direction.
const ASKED = `asked as (
    select ii.key, ii.dimension, ii.reverse_keyed
      from round r join instrument_item ii on ii.instrument_version_id = r.instrument_version_id
     where r.id = $1 and ii.key = any(r.item_keys)),
  asked_per_dimension as (select dimension, count(*) as items from asked group by dimension)`;

// Person × dimension scores after reversing, kept only when at least half the items were answered.
const PERSON_SCORES = `${ASKED},
  person as (
    select rs.id as response_id, rs.unit_id, a.dimension,
           avg(case when a.reverse_keyed then $2::int + $3::int - an.value else an.value end)::float8 as score,
           count(*) as answered
      from response rs join answer an on an.response_id = rs.id join asked a on a.key = an.item_key
     where rs.round_id = $1 and rs.kind = $4
     group by rs.id, rs.unit_id, a.dimension),
  scored as (
    select p.* from person p join asked_per_dimension d using (dimension) where p.answered * 2 >= d.items)`;

/**
 * The row-heavy half of aggregation: every statement here reduces a round's answers to a few
 * numbers per team, dimension or item inside PostgreSQL. Nothing returns answer rows.
 */
@Injectable()
export class AggregationRepository {
  async round(tx: EntityManager, roundId: string): Promise<RoundFacts | null> {
    const [row] = await tx.query<RoundFacts[]>(
      `select r.id, r.organisation_id as "organisationId", r.status, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart",
              r.instrument_version_id as "versionId", v.definition, r.item_keys as "itemKeys", o.settings
         from round r join instrument_version v on v.id = r.instrument_version_id
         join organisation o on o.id = r.organisation_id where r.id = $1`,
      [roundId],
    );
    return row ?? null;
  }

  async teamDimensions(
    tx: EntityManager,
    round: RoundFacts,
    kind: 'member' | 'leader_self',
  ): Promise<TeamDimensionRow[]> {
    const { min, max } = round.definition.scale;
    return tx.query(
      `with ${PERSON_SCORES}
       select unit_id as "unitId", dimension, count(*)::int as n, sum(score)::float8 as sum,
              sum(score * score)::float8 as "sumSquares",
              count(*) filter (where score >= $3::int - 1)::int as favourable,
              count(*) filter (where score <= $2::int + 1)::int as unfavourable
         from scored group by unit_id, dimension order by unit_id, dimension`,
      [round.id, min, max, kind],
    );
  }

  /** Item statistics per team; values as answered (variance does not depend on direction). */
  async items(tx: EntityManager, round: RoundFacts): Promise<ItemRow[]> {
    const { min, max } = round.definition.scale;
    return tx.query(
      `with ${ASKED},
       base as (
         select rs.unit_id, a.key as item_key, a.dimension, an.value
           from response rs join answer an on an.response_id = rs.id join asked a on a.key = an.item_key
          where rs.round_id = $1 and rs.kind = 'member'),
       stats as (
         select unit_id, item_key, dimension, count(*)::int as n, avg(value)::float8 as mean,
                var_samp(value)::float8 as variance
           from base group by unit_id, item_key, dimension),
       counts as (select unit_id, item_key, value, count(*)::int as c from base group by unit_id, item_key, value)
       select s.unit_id as "unitId", s.item_key as "itemKey", s.dimension, s.n, s.mean, s.variance,
              array_agg(coalesce(k.c, 0) order by v.v) as distribution
         from stats s cross join generate_series($2::int, $3::int) as v(v)
         left join counts k on k.unit_id = s.unit_id and k.item_key = s.item_key and k.value = v.v
        group by s.unit_id, s.item_key, s.dimension, s.n, s.mean, s.variance`,
      [round.id, min, max],
    );
  }

  /** Cronbach's alpha inputs per dimension, over respondents who answered every item of it. */
  async alphaInputs(tx: EntityManager, round: RoundFacts): Promise<AlphaRow[]> {
    return tx.query(
      `with ${ASKED},
       person as (
         select rs.id, a.dimension, count(*) as answered,
                sum(case when a.reverse_keyed then $2::int + $3::int - an.value else an.value end) as total
           from response rs join answer an on an.response_id = rs.id join asked a on a.key = an.item_key
          where rs.round_id = $1 and rs.kind = 'member' group by rs.id, a.dimension),
       complete as (select p.* from person p join asked_per_dimension d using (dimension) where p.answered = d.items),
       item_var as (
         select a.dimension, a.key, var_samp(an.value)::float8 as variance
           from complete c join answer an on an.response_id = c.id join asked a on a.key = an.item_key and a.dimension = c.dimension
          group by a.dimension, a.key)
       select d.dimension, d.items::int as items,
              (select sum(variance) from item_var iv where iv.dimension = d.dimension)::float8 as "itemVarianceSum",
              (select var_samp(total) from complete c where c.dimension = d.dimension)::float8 as "totalVariance"
         from asked_per_dimension d order by d.dimension`,
      [round.id, round.definition.scale.min, round.definition.scale.max],
    );
  }

  async participation(tx: EntityManager, roundId: string): Promise<ParticipationRow[]> {
    return tx.query(
      `select rt.unit_id as "unitId", rt.invited,
              (select count(*) from response r where r.round_id = rt.round_id and r.unit_id = rt.unit_id and r.kind = 'member')::int as respondents,
              (select count(*) from comment c where c.round_id = rt.round_id and c.unit_id = rt.unit_id)::int as comments
         from round_team rt where rt.round_id = $1`,
      [roundId],
    );
  }

  async units(tx: EntityManager, organisationId: string): Promise<UnitRow[]> {
    return tx.query(
      `select id, parent_id as "parentId", kind from unit where organisation_id = $1`,
      [organisationId],
    );
  }

  /** The same teams' results in up to `depth` earlier closed rounds, most recent first. */
  async previous(
    tx: EntityManager,
    round: RoundFacts,
    unitIds: string[],
    depth: number,
  ): Promise<PreviousRow[]> {
    return tx.query(
      `select ur.unit_id as "unitId", ur.round_id as "roundId", ur.dimension, ur.n, ur.mean, ur.se,
              ur.ci_low as "ciLow", ur.ci_high as "ciHigh"
         from unit_result ur
         join lateral (
           select r.id from round r join round_team rt on rt.round_id = r.id and rt.unit_id = ur.unit_id
            where r.organisation_id = $1 and r.status = 'closed' and r.period_start < $2::date
            order by r.period_start desc limit $4) recent on recent.id = ur.round_id
        where ur.unit_id = any($3::uuid[]) and not ur.rollup
        order by ur.unit_id, (select period_start from round where id = ur.round_id) desc`,
      [round.organisationId, round.periodStart, unitIds, depth],
    );
  }
}
