import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import {
  countsForDimension,
  favourableBounds,
  integerSampleCovariance,
  integerSampleVariance,
  isHigherWorse,
} from '@trellis/scoring';
import { AnswerSealer, dimensionScale, type InstrumentDef } from '@trellis/surveys';

/** Characters of COPY text a message: large enough to be few messages, small enough to stream. */
const COPY_CHUNK = 1 << 20;

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
  /** The values given (as var_samp counts them: `n` less any null), their sum and sum of squares, exact integers. */
  answered: number;
  sum: number;
  sumSquares: number;
  mean: number | null;
  variance: number | null;
  distribution: number[];
}

/** What `load` numbered in the temporary tables: position n names team, dimension or item n. */
export interface LoadedRound {
  units: string[];
  dimensions: string[];
  /** How many items of each dimension the round asked. */
  askedOf: number[];
  items: { key: string; dimension: string }[];
}

/**
 * The least common multiple of 1..n: every person score on n items times it is an integer. A
 * BigInt: for a dimension of 43 items it is past 2^63 already (instruments allow 200).
 */
export function commonMultiple(n: number): bigint {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
  let multiple = 1n;
  for (let i = 2n; i <= BigInt(n); i++) multiple = (multiple / gcd(multiple, i)) * i;
  return multiple;
}

/** Code-unit order, as PostgreSQL orders uuids (their lower-case text sorts the same way). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
   *
   * Responses, teams, items and dimensions are numbered in the temporary tables (the returned
   * `LoadedRound` names them again): an answer row is a few small integers instead of two uuids
   * and three strings, so it is a fraction of the bytes to write, send and parse, and grouping
   * and joining hash integers.
   */
  async load(tx: EntityManager, round: RoundFacts): Promise<LoadedRound> {
    // Each item is answered, reversed and judged on its dimension's scale (lo..hi), which is the
    // instrument's unless the dimension has its own.
    const scales = dimensionScales(round.definition);
    // Lets the grouping below hash in memory instead of sorting on disk; this transaction only.
    await tx.query(`set local work_mem = '64MB'`);
    // The statements below run once each: compiling them (JIT) cost more than it saved.
    await tx.query(`set local jit = off`);
    await tx.query(
      `create temp table round_item on commit drop as
       select (row_number() over (order by ii.key) - 1)::int as idx, ii.key,
              (s.n - 1)::int as dimension, ii.reverse_keyed,
              count(*) over (partition by ii.dimension)::int as items, s.lo, s.hi
         from round r join instrument_item ii on ii.instrument_version_id = r.instrument_version_id
         join unnest($2::text[], $3::int[], $4::int[]) with ordinality as s(dimension, lo, hi, n)
           on s.dimension = ii.dimension
        where r.id = $1 and ii.key = any(r.item_keys)`,
      [round.id, scales.map((d) => d.dimension), scales.map((d) => d.lo), scales.map((d) => d.hi)],
    );
    await tx.query(`analyze round_item`);
    const dimensions = scales.map((d) => d.dimension);
    const asked = await tx.query<
      {
        idx: number;
        key: string;
        dimension: number;
        reverseKeyed: boolean;
        items: number;
        lo: number;
        hi: number;
      }[]
    >(
      `select idx, key, dimension, reverse_keyed as "reverseKeyed", items, lo, hi
         from round_item order by idx`,
    );
    const askedOf = dimensions.map((_, d) => asked.filter((i) => i.dimension === d).length);
    // Each item's place among its dimension's items (from 0), for the person's values array.
    const seen = dimensions.map(() => 0);
    const place = new Map(
      asked.map((item) => [item.key, { item, position: seen[item.dimension]++ }]),
    );
    // Answers are sealed at rest: they are opened here, in the worker, and exist in plaintext only
    // in this transaction's temporary tables, which are dropped at commit. Two of them: the
    // members' answers (team, item, value) for the item figures, and a row per person and
    // dimension, worked out from that person's one submission as it is opened: how many of the
    // dimension's items they answered and how many with a value, the total of their reverse-keyed
    // values, whether that is all of the items or enough for a score (countsForDimension), and
    // the values in the items' order (for alpha's pairs). A person's row is a property of their
    // own submission; whatever is added up across people stays in SQL.
    await tx.query(
      `create temp table round_answer (unit int, item int, value smallint) on commit drop`,
    );
    await tx.query(
      `create temp table round_person (response int, unit int, member boolean, dimension int,
         answered int, scored int, total int, complete boolean, counted boolean, vals smallint[])
       on commit drop`,
    );
    const responses = await tx.query<{ unitId: string; kind: string; sealed: Buffer }[]>(
      `select unit_id as "unitId", kind, sealed from response where round_id = $1`,
      [round.id],
    );
    const client = await (
      tx.queryRunner as unknown as { connect(): Promise<PoolClient> }
    ).connect();
    const sealer = this.sealer;
    const units: string[] = [];
    const unitNumbers = new Map<string, number>();
    // The people's rows wait for their own COPY (after the answers') as text in megabyte
    // buffers: a string per row held 540,000 small strings for a 10,000-team round.
    const people: Buffer[] = [];
    let peopleChunk = '';
    // COPY, a few thousand rows a message: parsing one long parameter array per column cost
    // PostgreSQL most of aggregation's time. An answer to an item the round did not ask is left
    // out.
    const lines = (function* () {
      let chunk = '';
      const answered = dimensions.map(() => 0);
      const scored = dimensions.map(() => 0);
      const total = dimensions.map(() => 0);
      const values = askedOf.map((n) => new Array<number | null>(n).fill(null));
      for (let response = 0; response < responses.length; response++) {
        const r = responses[response];
        const answers = sealer.openAnswers(round.id, r.unitId, r.kind, r.sealed);
        let unit = unitNumbers.get(r.unitId);
        if (unit === undefined) {
          unit = units.push(r.unitId) - 1;
          unitNumbers.set(r.unitId, unit);
        }
        const member = r.kind === 'member';
        for (const [itemKey, value] of Object.entries(answers) as [string, number | null][]) {
          const found = place.get(itemKey);
          if (!found) continue;
          const { item, position } = found;
          if (member) chunk += `${unit}\t${item.idx}\t${copyNumber(value)}\n`;
          answered[item.dimension]++;
          if (value === null) continue;
          const score = item.reverseKeyed ? item.lo + item.hi - value : value;
          scored[item.dimension]++;
          total[item.dimension] += score;
          values[item.dimension][position] = score;
        }
        for (let d = 0; d < dimensions.length; d++) {
          if (answered[d] === 0) continue;
          peopleChunk +=
            `${response}\t${unit}\t${member ? 't' : 'f'}\t${d}\t${answered[d]}\t${scored[d]}\t` +
            `${scored[d] ? total[d] : '\\N'}\t${answered[d] === askedOf[d] ? 't' : 'f'}\t` +
            `${countsForDimension(answered[d], askedOf[d]) ? 't' : 'f'}\t` +
            `{${values[d].map((v) => (v === null ? 'NULL' : v)).join(',')}}\n`;
          answered[d] = scored[d] = total[d] = 0;
          values[d].fill(null);
        }
        if (peopleChunk.length >= COPY_CHUNK) {
          people.push(Buffer.from(peopleChunk));
          peopleChunk = '';
        }
        if (chunk.length >= COPY_CHUNK) {
          yield chunk;
          chunk = '';
        }
      }
      if (peopleChunk) people.push(Buffer.from(peopleChunk));
      if (chunk) yield chunk;
    })();
    await pipeline(
      Readable.from(lines),
      client.query(copyFrom(`copy round_answer (unit, item, value) from stdin`)),
    );
    await pipeline(
      Readable.from(people),
      client.query(
        copyFrom(
          `copy round_person (response, unit, member, dimension, answered, scored, total, complete,
             counted, vals) from stdin`,
        ),
      ),
    );
    // Without statistics the planner joins these by nested loops, for minutes; a small sample
    // is enough to tell it their sizes.
    await tx.query(`set local default_statistics_target = 10`);
    await tx.query(`analyze round_answer, round_person`);
    return {
      units,
      dimensions,
      askedOf,
      items: asked.map((i) => ({ key: i.key, dimension: dimensions[i.dimension] })),
    };
  }

  /**
   * Per team and dimension, over person scores. Needs `load` first. Favourable is the healthy
   * side of each dimension (`favourableBounds`, turned round where higher is worse), so the
   * ranges come in per dimension rather than being written into the SQL.
   */
  async teamDimensions(
    tx: EntityManager,
    round: RoundFacts,
    loaded: LoadedRound,
    kind: 'member' | 'leader_self',
  ): Promise<TeamDimensionRow[]> {
    // Favourable and unfavourable ranges on each dimension's own scale, turned round where a
    // higher score is worse (favourableBounds is the one place that says where the sides are).
    const definitions = new Map(round.definition.dimensions.map((d) => [d.key, d]));
    const bounds = loaded.dimensions.map((key) => {
      const d = definitions.get(key)!;
      return favourableBounds(dimensionScale(round.definition, key), isHigherWorse(d));
    });
    // A person's score is their total over the items they answered (at most the dimension's
    // asked items), so times the least common multiple of 1..asked it is an integer: the sums
    // of scores and of squares are exact integers (numeric: the multiple outgrows int8 from 43
    // items), the same in whatever order PostgreSQL adds
    // the people up. Floating-point sums followed the order the rows happened to be in, and
    // could put two teams with the same mean a last digit apart (splitting their percentile).
    const scales = loaded.askedOf.map((asked) => commonMultiple(asked));
    const rows = await tx.query<
      (Omit<TeamDimensionRow, 'unitId' | 'dimension' | 'sum' | 'sumSquares'> & {
        unit: number;
        dimension: number;
        scaledSum: string | null;
        scaledSquares: string | null;
      })[]
    >(
      `select p.unit, p.dimension, count(*)::int as n, sum(p.scaled)::text as "scaledSum",
              sum(p.scaled * p.scaled)::text as "scaledSquares",
              count(*) filter (where p.score between p.fav_from and p.fav_to)::int as favourable,
              count(*) filter (where p.score between p.unfav_from and p.unfav_to)::int as unfavourable
         -- The score as avg() gave it: the total over the answered items, divided in numeric.
         from (select p.unit, p.dimension, (p.total::numeric / nullif(p.scored, 0))::float8 as score,
                      b.fav_from, b.fav_to, b.unfav_from, b.unfav_to,
                      p.total::numeric * (b.scale / nullif(p.scored, 0)) as scaled
                 from round_person p
                 join unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::numeric[])
                        with ordinality as b(fav_from, fav_to, unfav_from, unfav_to, scale, n)
                   on b.n - 1 = p.dimension
                where p.member = $1 and p.counted) p
        group by p.unit, p.dimension`,
      [
        kind === 'member',
        bounds.map((b) => b.favourable.from),
        bounds.map((b) => b.favourable.to),
        bounds.map((b) => b.unfavourable.from),
        bounds.map((b) => b.unfavourable.to),
        scales.map(String),
      ],
    );
    return rows
      .map(({ unit, dimension, scaledSum, scaledSquares, ...r }) => {
        // Exact while the scaled sums stay below 2^53 (dimensions of up to about twenty items);
        // past that, within a rounding or two, as any floating-point sum.
        const scale = Number(scales[dimension]);
        return {
          unitId: loaded.units[unit],
          dimension: loaded.dimensions[dimension],
          ...r,
          sum: Number(scaledSum) / scale,
          sumSquares: Number(scaledSquares) / scale / scale,
        };
      })
      .sort((a, b) => compareText(a.unitId, b.unitId) || compareText(a.dimension, b.dimension));
  }

  /**
   * Per team and dimension, how many members answered some but not all of its items. Item
   * figures read whoever answered each item, the dimension's figure whoever answered half its
   * items, so between them they differ by exactly these people: one person who skipped a
   * statement could be solved for from the item sums and the dimension's mean.
   */
  async partialAnswerers(
    tx: EntityManager,
    loaded: LoadedRound,
  ): Promise<{ unitId: string; dimension: string; partial: number }[]> {
    const rows = await tx.query<{ unit: number; dimension: number; partial: number }[]>(
      `select unit, dimension, count(*) filter (where not complete)::int as partial
         from round_person where member group by unit, dimension`,
    );
    return rows.map((r) => ({
      unitId: loaded.units[r.unit],
      dimension: loaded.dimensions[r.dimension],
      partial: r.partial,
    }));
  }

  /**
   * Item statistics per team, over members' answers (the only ones in `round_answer`); values as
   * answered (variance does not depend on direction). SQL counts and adds the integers; mean and
   * variance are worked out from those exact sums here (integerSampleVariance), which is
   * var_samp's result without numeric arithmetic per answer.
   */
  async items(tx: EntityManager, round: RoundFacts, loaded: LoadedRound): Promise<ItemRow[]> {
    // Counts per answer option counted from each item's own lowest option (its dimension's lo),
    // as long as the widest scale; each item keeps as many as its scale has options.
    const scales = dimensionScales(round.definition);
    const widest = Math.max(...scales.map((d) => d.hi - d.lo));
    const rows = await tx.query<
      {
        unit: number;
        item: number;
        n: number;
        answered: number;
        sumText: string | null;
        sumSquaresText: string | null;
        distribution: number[];
      }[]
    >(
      `select a.unit, a.item, count(*)::int as n, count(a.value)::int as answered,
              sum(a.value)::text as "sumText", sum(a.value::int * a.value)::text as "sumSquaresText",
              ${distribution(0, widest, 'a.value - i.lo')} as distribution
         from round_answer a join round_item i on i.idx = a.item
        group by a.unit, a.item`,
    );
    const span = new Map(scales.map((d) => [d.dimension, d.hi - d.lo + 1]));
    return rows.map(({ unit, item, sumText, sumSquaresText, ...r }) => {
      const { key, dimension } = loaded.items[item];
      const sum = Number(sumText);
      const sumSquares = Number(sumSquaresText);
      return {
        unitId: loaded.units[unit],
        itemKey: key,
        dimension,
        n: r.n,
        answered: r.answered,
        sum,
        sumSquares,
        mean: r.answered ? sum / r.answered : null,
        variance: integerSampleVariance({ n: r.answered, sum, sumSquares }),
        distribution: r.distribution.slice(0, span.get(dimension)),
      };
    });
  }

  /**
   * Cronbach's alpha inputs per dimension, as psych::alpha computes them by default: from the
   * items' covariance matrix C with pairwise-complete observations (`use = "pairwise"`), alpha
   * = k/(k − 1) · (1 − tr C / ΣC). Each covariance reads the people who answered both items, each
   * variance those who answered the item; a skipped item takes nobody's other answers away.
   * Values are reverse-keyed first (the items as scored). With no skips C is the ordinary
   * covariance matrix and ΣC the variance of each person's item total: such a dimension takes its
   * item variances from the items' own sums (`items`, added over teams) and its total's from one
   * pass over person totals. Only a dimension where somebody skipped pays for pairing answers:
   * each person's values array (`load`) paired with itself, the upper triangle only (C is
   * symmetric), and each distinct array once, weighted by how many people gave it: answers to a
   * few items on a few points repeat (the bench's 53,000 people of a round gave 3,600 patterns),
   * so this pairs far fewer rows than pairing every person, and never more. All of it from exact
   * integer sums (integerSampleCovariance), so the figures do not follow the order PostgreSQL
   * adds rows in. Only dimensions the round asked about have a row.
   */
  async alphaInputs(
    tx: EntityManager,
    loaded: LoadedRound,
    items: readonly ItemRow[],
  ): Promise<AlphaRow[]> {
    const people = await tx.query<
      {
        dimension: number;
        skipped: boolean;
        people: number;
        totalSumText: string | null;
        totalSquaresText: string | null;
      }[]
    >(
      `select dimension, bool_or(not complete) as skipped, count(total)::int as people,
              sum(total::int8)::text as "totalSumText",
              sum(total::int8 * total::int8)::text as "totalSquaresText"
         from round_person where member group by dimension`,
    );
    const skipped = people.filter((p) => p.skipped).map((p) => p.dimension);
    const pairs = skipped.length
      ? await tx.query<
          {
            dimension: number;
            i: number;
            j: number;
            n: number;
            sx: string;
            sy: string;
            sxy: string;
          }[]
        >(
          `with patterns as (
             select dimension, vals, count(*)::int8 as people from round_person
              where member and dimension = any($1::int[]) group by dimension, vals)
           select p.dimension, a.i::int as i, b.j::int as j, sum(p.people)::int as n,
                  sum(p.people * a.x)::text as sx, sum(p.people * b.y)::text as sy,
                  sum(p.people * a.x * b.y)::text as sxy
             from patterns p
             cross join lateral unnest(p.vals) with ordinality as a(x, i)
             cross join lateral unnest(p.vals) with ordinality as b(y, j)
            where b.j >= a.i and a.x is not null and b.y is not null
            group by p.dimension, a.i, b.j
            -- Added up in this order in the worker: the same figures whatever order rows come in.
            order by p.dimension, a.i, b.j`,
          [skipped],
        )
      : [];
    // Each item over all members: its teams' counts and integer sums added up.
    const byItem = new Map<
      string,
      { dimension: string; n: number; sum: number; sumSquares: number }
    >();
    for (const i of items) {
      const all = byItem.get(i.itemKey) ?? { dimension: i.dimension, n: 0, sum: 0, sumSquares: 0 };
      all.n += i.answered;
      all.sum += i.sum;
      all.sumSquares += i.sumSquares;
      byItem.set(i.itemKey, all);
    }
    const peopleOf = new Map(people.map((p) => [p.dimension, p]));
    const pairsOf = new Map<number, typeof pairs>();
    for (const p of pairs) {
      const list = pairsOf.get(p.dimension);
      if (list) list.push(p);
      else pairsOf.set(p.dimension, [p]);
    }
    const asked = loaded.dimensions.flatMap((dimension, number) =>
      loaded.askedOf[number] > 0 ? [{ dimension, number }] : [],
    );
    return asked.map(({ dimension, number }) => {
      const k = loaded.askedOf[number];
      const p = peopleOf.get(number);
      if (p?.skipped) {
        // A pair answered together by fewer than two people has no covariance, and then neither
        // has C (R's cov gives NA, and so does alpha).
        let known = 0;
        let trace = 0;
        let offDiagonal = 0;
        for (const pair of pairsOf.get(number) ?? []) {
          const covariance = integerSampleCovariance({
            n: pair.n,
            sumX: Number(pair.sx),
            sumY: Number(pair.sy),
            sumProducts: Number(pair.sxy),
          });
          if (covariance === null) continue;
          if (pair.i === pair.j) {
            known += 1;
            trace += covariance;
          } else {
            known += 2;
            offDiagonal += covariance;
          }
        }
        const complete = known === k * k;
        return {
          dimension,
          items: k,
          itemVarianceSum: complete ? trace : null,
          totalVariance: complete ? trace + 2 * offDiagonal : null,
        };
      }
      // As var_samp gave them: an item answered by one person has no variance, and their sum none.
      let itemVarianceSum: number | null = null;
      for (const item of byItem.values()) {
        if (item.dimension !== dimension) continue;
        const variance = integerSampleVariance(item);
        itemVarianceSum = variance === null ? itemVarianceSum : (itemVarianceSum ?? 0) + variance;
      }
      const totalVariance =
        !p || p.totalSumText === null
          ? null
          : integerSampleVariance({
              n: p.people,
              sum: Number(p.totalSumText),
              sumSquares: Number(p.totalSquaresText),
            });
      return { dimension, items: k, itemVarianceSum, totalVariance };
    });
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

  /** The closed rounds before this one that are not yet current under `epoch`. */
  async earlierStale(tx: EntityManager, round: RoundFacts, epoch: string): Promise<string[]> {
    const rows = await tx.query<{ id: string }[]>(
      `select e.id from round e
        where e.organisation_id = $1 and e.status = 'closed'
          and (e.period_start, e.id) < ($2::date, $3::uuid)
          and (e.aggregated_at is null or e.results_epoch is distinct from $4::bigint)`,
      [round.organisationId, round.periodStart, round.id, epoch],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Whether every one of these rounds is being aggregated right now: each holds its per-round
   * lock (`aggregationLock`), so a shared try fails. A round nobody is aggregating keeps the
   * shared lock taken here until this transaction ends, which only holds its own start back
   * that long (the caller then gives up at once).
   */
  async allBeingAggregated(tx: EntityManager, roundIds: readonly string[]): Promise<boolean> {
    const [row] = await tx.query<{ running: boolean }[]>(
      `select bool_and(not pg_try_advisory_xact_lock_shared(hashtext('aggregate:' || id::text))) as running
         from unnest($1::uuid[]) as id`,
      [roundIds],
    );
    return row.running === true;
  }

  /**
   * Whether a transaction waits to lock or change the organisation's row (a unit move, a
   * settings change), which this one holds `for share`. PostgreSQL lets a further share lock in
   * ahead of it, so rounds aggregated beside each other, one starting before the other ends,
   * could keep it waiting for as long as any are left: then no round starts beside another.
   */
  async basisChangeWaiting(tx: EntityManager, organisationId: string): Promise<boolean> {
    const [row] = await tx.query<{ waiting: boolean }[]>(
      `select exists (
         select 1 from pg_locks l,
                (select (ctid::text::point)[0]::int as page, (ctid::text::point)[1]::int as tuple
                   from organisation where id = $1) o
          where l.locktype = 'tuple' and l.granted
            and l.database = (select oid from pg_database where datname = current_database())
            and l.relation = 'organisation'::regclass
            and l.page = o.page and l.tuple = o.tuple) as waiting`,
      [organisationId],
    );
    return row.waiting;
  }

  /** Waits until none of these rounds is being aggregated (their transactions have ended). */
  async awaitAggregations(tx: EntityManager, roundIds: readonly string[]): Promise<void> {
    await tx.query(
      `select pg_advisory_xact_lock_shared(hashtext('aggregate:' || id::text))
         from unnest($1::uuid[]) as id`,
      [roundIds],
    );
  }

  /** Takes a round's aggregation lock, held until the transaction ends. */
  async aggregationLock(tx: EntityManager, roundId: string): Promise<void> {
    await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`aggregate:${roundId}`]);
  }
}
