import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { favourableBounds, isHigherWorse } from '@trellis/scoring';
import { AnswerSealer, dimensionScale, type InstrumentDef } from '@trellis/surveys';

/** Characters of COPY text a message: large enough to be few messages, small enough to stream. */
const COPY_CHUNK = 1 << 20;

/** A text field in COPY's text format: backslash, tab, newline and carriage return escaped. */
function copyText(value: string): string {
  return value.replace(
    /[\\\t\n\r]/g,
    (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c,
  );
}

function copyNumber(value: number | null): string {
  return value === null ? '\\N' : String(value);
}

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
  /** YYYY-MM-DD: how a flag names the round it compares with. */
  periodStart: string;
  dimension: string;
  n: number;
  mean: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
}

/** One number per scale point, for the item distributions; the scale is validated integers. */
function distribution(min: number, max: number, value: string): string {
  if (!Number.isInteger(min) || !Number.isInteger(max) || max - min > 20)
    throw new RangeError(`unusable scale ${min}..${max}`);
  const points = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  return `array[${points.map((v) => `count(*) filter (where ${value} = ${v})`).join(', ')}]::int[]`;
}

/** Every dimension with the scale its items are answered on (its own, else the instrument's). */
export function dimensionScales(
  def: Pick<InstrumentDef, 'scale' | 'dimensions'>,
): { dimension: string; lo: number; hi: number }[] {
  return def.dimensions.map((d) => {
    const { min, max } = dimensionScale(def, d.key);
    return { dimension: d.key, lo: min, hi: max };
  });
}

/**
 * The row-heavy half of aggregation: every statement here reduces a round's answers to a few
 * numbers per team, dimension or item inside PostgreSQL. Nothing returns answer rows.
 */
@Injectable()
export class AggregationRepository {
  constructor(private readonly sealer: AnswerSealer) {}

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

  /**
   * Reads the round's answers once into temporary tables that live until the transaction ends:
   * each answer with its dimension and reverse-keyed value, and each person's count and total per
   * dimension. The statistics below read these instead of joining the answer table again, which
   * made aggregation several passes over the round's answers. The asked items get a table of
   * their own so the planner knows there are a few dozen of them: estimated from the round's
   * array it guessed one, and scanned the whole answer index once per item.
   */
  async load(tx: EntityManager, round: RoundFacts): Promise<void> {
    // Each item is answered, reversed and judged on its dimension's scale (lo..hi), which is the
    // instrument's unless the dimension has its own.
    const scales = dimensionScales(round.definition);
    // Lets the grouping below hash in memory instead of sorting on disk; this transaction only.
    await tx.query(`set local work_mem = '64MB'`);
    // The statements below run once each: compiling them (JIT) cost more than it saved.
    await tx.query(`set local jit = off`);
    await tx.query(
      `create temp table round_item on commit drop as
       select ii.key, ii.dimension, ii.reverse_keyed, count(*) over (partition by ii.dimension)::int as items,
              s.lo, s.hi
         from round r join instrument_item ii on ii.instrument_version_id = r.instrument_version_id
         join unnest($2::text[], $3::int[], $4::int[]) as s(dimension, lo, hi) on s.dimension = ii.dimension
        where r.id = $1 and ii.key = any(r.item_keys)`,
      [round.id, scales.map((d) => d.dimension), scales.map((d) => d.lo), scales.map((d) => d.hi)],
    );
    await tx.query(`analyze round_item`);
    // Answers are sealed at rest: they are opened here, in the worker, and exist in plaintext only
    // in this transaction's temporary table, which is dropped at commit.
    await tx.query(
      `create temp table round_answer (response_id uuid, unit_id uuid, kind text, dimension text,
         items int, item_key text, value smallint, scored int) on commit drop`,
    );
    const asked = new Map(
      (
        await tx.query<
          {
            key: string;
            dimension: string;
            reverseKeyed: boolean;
            items: number;
            lo: number;
            hi: number;
          }[]
        >(`select key, dimension, reverse_keyed as "reverseKeyed", items, lo, hi from round_item`)
      ).map((i) => [i.key, i]),
    );
    const responses = await tx.query<
      { id: string; unitId: string; kind: string; sealed: Buffer }[]
    >(`select id, unit_id as "unitId", kind, sealed from response where round_id = $1`, [round.id]);
    // COPY, a few thousand answers a message: parsing one long parameter array per column cost
    // PostgreSQL most of aggregation's time. Each answer carries its item's dimension and its
    // reverse-keyed value, as the round's items say; an answer to an item the round did not ask
    // is left out.
    const client = await (
      tx.queryRunner as unknown as { connect(): Promise<PoolClient> }
    ).connect();
    const copy = client.query(
      copyFrom(
        `copy round_answer (response_id, unit_id, kind, dimension, items, item_key, value, scored) from stdin`,
      ),
    );
    const sealer = this.sealer;
    const lines = (function* () {
      let chunk = '';
      for (const r of responses) {
        const answers = sealer.openAnswers(round.id, r.unitId, r.kind, r.sealed);
        for (const [itemKey, value] of Object.entries(answers)) {
          const item = asked.get(itemKey);
          if (!item) continue;
          const scored =
            value === null ? null : item.reverseKeyed ? item.lo + item.hi - value : value;
          chunk += `${r.id}\t${r.unitId}\t${copyText(r.kind)}\t${copyText(item.dimension)}\t${item.items}\t${copyText(itemKey)}\t${copyNumber(value)}\t${copyNumber(scored)}\n`;
        }
        if (chunk.length >= COPY_CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    })();
    await pipeline(Readable.from(lines), copy);
    await tx.query(
      `create temp table round_person on commit drop as
       select a.response_id, a.unit_id, a.kind, a.dimension, count(*)::int as answered,
              avg(a.scored)::float8 as score, sum(a.scored)::float8 as total,
              count(*) = min(a.items) as complete,
              -- A person counts for a dimension when they answered at least half its items.
              count(*) * 2 >= min(a.items) as counted
         from round_answer a
        group by a.response_id, a.unit_id, a.kind, a.dimension`,
    );
    // Without statistics the planner joins these by nested loops, for minutes; a small sample
    // is enough to tell it their sizes.
    await tx.query(`set local default_statistics_target = 10`);
    await tx.query(`analyze round_answer, round_person`);
  }

  /**
   * Per team and dimension, over person scores. Needs `load` first. Favourable is the healthy
   * side of each dimension (`favourableBounds`, turned round where higher is worse), so the
   * ranges come in per dimension rather than being written into the SQL.
   */
  async teamDimensions(
    tx: EntityManager,
    round: RoundFacts,
    kind: 'member' | 'leader_self',
  ): Promise<TeamDimensionRow[]> {
    // Favourable and unfavourable ranges on each dimension's own scale, turned round where a
    // higher score is worse (favourableBounds is the one place that says where the sides are).
    const { dimensions } = round.definition;
    const bounds = dimensions.map((d) => ({
      key: d.key,
      ...favourableBounds(dimensionScale(round.definition, d.key), isHigherWorse(d)),
    }));
    return tx.query(
      `select p.unit_id as "unitId", p.dimension, count(*)::int as n, sum(p.score)::float8 as sum,
              sum(p.score * p.score)::float8 as "sumSquares",
              count(*) filter (where p.score between b.fav_from and b.fav_to)::int as favourable,
              count(*) filter (where p.score between b.unfav_from and b.unfav_to)::int as unfavourable
         from round_person p
         join unnest($2::text[], $3::float8[], $4::float8[], $5::float8[], $6::float8[])
                as b(dimension, fav_from, fav_to, unfav_from, unfav_to) on b.dimension = p.dimension
        where p.kind = $1 and p.counted
        group by p.unit_id, p.dimension order by p.unit_id, p.dimension`,
      [
        kind,
        bounds.map((b) => b.key),
        bounds.map((b) => b.favourable.from),
        bounds.map((b) => b.favourable.to),
        bounds.map((b) => b.unfavourable.from),
        bounds.map((b) => b.unfavourable.to),
      ],
    );
  }

  /**
   * Per team and dimension, how many members answered some but not all of its items. Item
   * figures read whoever answered each item, the dimension's figure whoever answered half its
   * items, so between them they differ by exactly these people: one person who skipped a
   * statement could be solved for from the item sums and the dimension's mean.
   */
  async partialAnswerers(
    tx: EntityManager,
  ): Promise<{ unitId: string; dimension: string; partial: number }[]> {
    return tx.query(
      `select unit_id as "unitId", dimension, count(*) filter (where not complete)::int as partial
         from round_person where kind = 'member' group by unit_id, dimension`,
    );
  }

  /** Item statistics per team; values as answered (variance does not depend on direction). */
  async items(tx: EntityManager, round: RoundFacts): Promise<ItemRow[]> {
    // Counts per answer option counted from each item's own lowest option (its dimension's lo),
    // as long as the widest scale; each item keeps as many as its scale has options.
    const scales = dimensionScales(round.definition);
    const widest = Math.max(...scales.map((d) => d.hi - d.lo));
    const rows = await tx.query<ItemRow[]>(
      `select a.unit_id as "unitId", a.item_key as "itemKey", a.dimension, count(*)::int as n,
              avg(a.value)::float8 as mean, var_samp(a.value)::float8 as variance,
              ${distribution(0, widest, 'a.value - i.lo')} as distribution
         from round_answer a join round_item i on i.key = a.item_key
        where a.kind = 'member'
        group by a.unit_id, a.item_key, a.dimension`,
    );
    const span = new Map(scales.map((d) => [d.dimension, d.hi - d.lo + 1]));
    return rows.map((r) => ({
      ...r,
      distribution: r.distribution.slice(0, span.get(r.dimension)),
    }));
  }

  /**
   * Cronbach's alpha inputs per dimension, as psych::alpha computes them by default: from the
   * items' covariance matrix C with pairwise-complete observations (`use = "pairwise"`), alpha
   * = k/(k − 1) · (1 − tr C / ΣC). Each covariance reads the people who answered both items, each
   * variance those who answered the item; a skipped item takes nobody's other answers away.
   * Values are reverse-keyed first (the items as scored). With no skips C is the ordinary
   * covariance matrix and ΣC the variance of each person's item total, which is what a
   * dimension without skips reads (one pass, no pairing of answers); only a dimension where
   * somebody skipped pays for the pairs.
   */
  async alphaInputs(tx: EntityManager): Promise<AlphaRow[]> {
    return tx.query(
      `with dimensions as (select dimension, min(items) as items from round_item group by dimension),
       skipped as (
         select distinct dimension from round_person where kind = 'member' and not complete),
       complete_item_var as (
         select a.dimension, a.item_key, var_samp(a.value)::float8 as variance
           from round_answer a
          where a.kind = 'member' and a.dimension not in (select dimension from skipped)
          group by a.dimension, a.item_key),
       complete_total as (
         select dimension, var_samp(total)::float8 as variance from round_person
          where kind = 'member' and dimension not in (select dimension from skipped)
          group by dimension),
       pairwise as (
         select a.dimension, a.item_key = b.item_key as diagonal,
                covar_samp(a.scored, b.scored)::float8 as covariance
           from round_answer a
           join round_answer b on b.response_id = a.response_id and b.dimension = a.dimension
          where a.kind = 'member' and b.kind = 'member'
            and a.dimension in (select dimension from skipped)
          group by a.dimension, a.item_key, b.item_key),
       pairwise_sums as (
         select dimension, sum(covariance) filter (where diagonal) as trace,
                sum(covariance) as total,
                -- A pair answered together by fewer than two people has no covariance, and then
                -- neither has C (R's cov gives NA, and so does alpha).
                count(covariance) as known
           from pairwise group by dimension)
       select d.dimension, d.items::int as items,
              case when s.dimension is null
                   then (select sum(variance) from complete_item_var iv where iv.dimension = d.dimension)
                   when p.known = d.items * d.items then p.trace
              end::float8 as "itemVarianceSum",
              case when s.dimension is null
                   then (select variance from complete_total t where t.dimension = d.dimension)
                   when p.known = d.items * d.items then p.total
              end::float8 as "totalVariance"
         from dimensions d
         left join skipped s on s.dimension = d.dimension
         left join pairwise_sums p on p.dimension = d.dimension
        order by d.dimension`,
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

  /**
   * The units this round concerns: those invited or answering, and every unit above them. A
   * unit with nobody under it in the round changes no anonymity decision (it has nothing to show
   * or to subtract) and gets no rollup, so the rest of the organisation is not read: the cost
   * of a round follows the round, not the size of the organisation.
   */
  async units(tx: EntityManager, roundId: string): Promise<UnitRow[]> {
    return tx.query(
      `with recursive chain as (
         select u.id, u.parent_id, u.kind from unit u
          where u.id in (select unit_id from round_team where round_id = $1
                         union select distinct unit_id from response where round_id = $1)
         union
         select p.id, p.parent_id, p.kind from unit p join chain c on p.id = c.parent_id)
       select id, parent_id as "parentId", kind from chain`,
      [roundId],
    );
  }

  /**
   * The same teams' results in up to `depth` earlier closed rounds, most recent first. Each
   * team's earlier rounds are found once, then their results read by key: looked up from each
   * result row instead, the rounds were sorted again for every team's every dimension.
   */
  async previous(
    tx: EntityManager,
    round: RoundFacts,
    unitIds: string[],
    depth: number,
  ): Promise<PreviousRow[]> {
    return tx.query(
      `select ur.unit_id as "unitId", ur.round_id as "roundId", recent."periodStart", ur.dimension,
              ur.n, ur.mean, ur.se, ur.ci_low as "ciLow", ur.ci_high as "ciHigh"
         from unnest($3::uuid[]) as team(id)
         cross join lateral (
           select r.id, r.period_start, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart"
             from round r join round_team rt on rt.round_id = r.id and rt.unit_id = team.id
            where r.organisation_id = $1 and r.status = 'closed' and r.period_start < $2::date
            order by r.period_start desc limit $4) recent
         join unit_result ur on ur.round_id = recent.id and ur.unit_id = team.id and not ur.rollup
        order by ur.unit_id, recent.period_start desc, ur.dimension`,
      [round.organisationId, round.periodStart, unitIds, depth],
    );
  }

  /**
   * The organisation's results epoch, locked against changes until this transaction ends: a unit
   * move or a settings change waits, so the results written here are exactly that basis's.
   * Null when the round does not exist.
   */
  async lockBasis(tx: EntityManager, roundId: string): Promise<string | null> {
    const [row] = await tx.query<{ epoch: string }[]>(
      `select o.results_epoch::text as epoch from organisation o
        where o.id = (select organisation_id from round where id = $1) for share`,
      [roundId],
    );
    return row?.epoch ?? null;
  }

  /** Whether a closed round before this one is not yet current under `epoch`. */
  async earlierStale(tx: EntityManager, round: RoundFacts, epoch: string): Promise<boolean> {
    const [row] = await tx.query<{ stale: boolean }[]>(
      `select exists (
         select 1 from round e
          where e.organisation_id = $1 and e.status = 'closed'
            and (e.period_start, e.id) < ($2::date, $3::uuid)
            and (e.aggregated_at is null or e.results_epoch is distinct from $4::bigint)) as stale`,
      [round.organisationId, round.periodStart, round.id, epoch],
    );
    return row.stale;
  }
}
