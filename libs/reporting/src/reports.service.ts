import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  ownGroupId,
  reveal,
  revealGroup,
  type Shown,
  type UnitVisibility,
} from '@trellis/anonymity';
import { notFound } from '@trellis/errors';
import { FLAG_CODES } from '@trellis/scoring';
import { dimensionScale, type InstrumentDef, type Scale } from '@trellis/surveys';
import { ResultsVisibility } from './results-visibility';

interface RoundRow {
  id: string;
  periodStart: string;
  periodEnd: string;
  definition: InstrumentDef;
}

interface ResultRow {
  roundId: string;
  unitId: string;
  dimension: string;
  rollup: boolean;
  n: number;
  mean: number | null;
  se: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  score: number | null;
  favourable: number | null;
  unfavourable: number | null;
  rwgJ: number | null;
  percentile: number | null;
}

interface TeamRoundRow {
  roundId: string;
  unitId: string;
  respondents: number;
  invited: number | null;
  responseRate: number | null;
  autonomy: number | null;
  alignment: number | null;
  quadrant: string | null;
}

export interface ParticipationRound {
  roundId: string;
  periodStart: string;
  source: string;
  respondents: number;
  invited: number | null;
  responseRate: number | null;
}

/** A dimension of a unit's report; only a `Shown` one gets into the view. */
export type DimensionFigure = Omit<ResultRow, 'roundId' | 'unitId' | 'dimension' | 'rollup'> & {
  key: string;
  name: string;
  /** The organisation's figure, when it passed `reveal` for the organisation. */
  benchmark: { mean: number | null; ciLow: number | null; ciHigh: number | null } | null;
};

/** What a unit's own respondents alone say: shown only when that group may be. */
export interface OwnGroupFigures {
  quadrant: string | null;
  autonomy: number | null;
  alignment: number | null;
}

export interface ItemFigure {
  key: string;
  dimension: string;
  text: string;
  reverse: boolean;
  itemKey: string;
  n: number;
  mean: number | null;
  distribution: number[];
}

export interface FlagView {
  code: string;
  level: string;
  evidence: Record<string, unknown>;
  explanation: string;
  actions: string[];
}

export interface Suppressed {
  shown: false;
  respondents: number;
  message: string;
}

export interface ReportRound {
  id: string;
  periodStart: string;
  periodEnd: string;
}

/** What a round of a unit's report always carries: counts may be shown. */
interface ReportRoundBase {
  round: ReportRound;
  respondents: number;
  responseRate: number | null;
}

/** A round whose group is hidden: its count and a sentence, nothing else. */
export interface SuppressedReportRound extends ReportRoundBase, Suppressed {}

/** A round whose group may be shown, every figure passed through `reveal`. */
export interface ShownReportRound extends ReportRoundBase {
  shown: true;
  /** Whether the unit's own respondents (without units below it) may be shown. */
  ownShown: boolean;
  quadrant: string | null;
  autonomy: number | null;
  alignment: number | null;
  dimensions: Shown<DimensionFigure>[];
}

export type UnitReportRound = ShownReportRound | SuppressedReportRound;

/** A unit's report: only shown values, or the sentence that stands for them. */
export interface UnitReport {
  unit: { id: string; name: string; kind: string };
  minimumGroupSize: number;
  scale: Scale | null;
  /**
   * Each dimension's scale (its own, else the instrument's): every figure of a dimension is on
   * it. Empty before any round.
   */
  dimensionScales: { dimension: string; scale: Scale }[];
  /** The latest closed round; null before any. */
  latest: UnitReportRound | null;
  /** The latest round's flags, when its own group may be shown. */
  flags: Shown<FlagView[]> | [];
  items: Shown<ItemFigure>[];
  /** Every closed round, oldest first. */
  trends: UnitReportRound[];
}

const RESULT = `select round_id as "roundId", unit_id as "unitId", dimension, rollup, n, mean, se, ci_low as "ciLow",
  ci_high as "ciHigh", score, favourable, unfavourable, rwg_j as "rwgJ", percentile from unit_result`;

/**
 * Indexes results by unit, round and dimension. A unit's aggregate is its rollup when units below
 * it answered too, else its own result.
 */
function indexAggregates(
  rows: ResultRow[],
): (unitId: string, roundId: string, dimension: string) => ResultRow | undefined {
  const index = new Map<string, ResultRow>();
  for (const r of rows) {
    const key = `${r.unitId}|${r.roundId}|${r.dimension}`;
    if (r.rollup || !index.has(key)) index.set(key, r);
  }
  return (unitId, roundId, dimension) => index.get(`${unitId}|${roundId}|${dimension}`);
}

/**
 * Reads precomputed results for reports. Every number passes the anonymity decision first: a
 * hidden group yields its respondent count and a sentence, nothing else.
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly visibility: ResultsVisibility,
  ) {}

  private suppressed(v: UnitVisibility | undefined, k: number): Suppressed {
    return {
      shown: false,
      respondents: v?.respondents ?? 0,
      message:
        v?.reason === 'recomputing'
          ? 'being recomputed after a change to the organisation or its settings'
          : v?.reason === 'history'
            ? `hidden since the organisation changed: with what was shown for this round before, it would reveal fewer than ${k} people`
            : `not enough responses to show (fewer than ${k})`,
    };
  }

  async unitReport(unitId: string): Promise<UnitReport> {
    const [unit] = await this.db.query<
      {
        id: string;
        name: string;
        kind: string;
        organisationId: string;
      }[]
    >(
      `select u.id, u.name, u.kind, u.organisation_id as "organisationId" from unit u where u.id = $1`,
      [unitId],
    );
    if (!unit) throw notFound('unit');
    // Closed, aggregated rounds in which this unit or a unit below it took part; oldest first.
    const rounds = await this.db.query<RoundRow[]>(
      `select r.id, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd", v.definition
         from round r join instrument_version v on v.id = r.instrument_version_id
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null
          and exists (select 1 from round_unit_visibility v
                       where v.round_id = r.id and v.unit_id = $2 and not v.own and v.respondents > 0)
        order by r.period_start, r.id`,
      [unit.organisationId, unitId],
    );
    const roundIds = rounds.map((r) => r.id);
    const { byRound, k, rootId } = await this.visibility.decide(unit.organisationId, roundIds);
    const results = await this.db.query<ResultRow[]>(
      `${RESULT} where round_id = any($1::uuid[]) and unit_id = any($2::uuid[])`,
      [roundIds, [unitId, rootId]],
    );
    const aggregateOf = indexAggregates(results);
    const teamRounds = await this.db.query<TeamRoundRow[]>(
      `select round_id as "roundId", unit_id as "unitId", respondents, invited, response_rate as "responseRate",
              autonomy, alignment, quadrant from team_round where round_id = any($1::uuid[]) and unit_id = $2`,
      [roundIds, unitId],
    );

    const trends = rounds.map((round): UnitReportRound => {
      const v = byRound.get(round.id)?.get(unitId);
      const team = teamRounds.find((t) => t.roundId === round.id);
      const base = {
        round: { id: round.id, periodStart: round.periodStart, periodEnd: round.periodEnd },
        respondents: v?.respondents ?? 0,
        responseRate: team?.responseRate ?? null,
      };
      if (!v?.shown) return { ...base, ...this.suppressed(v, k) };
      // Quadrant, flags and items come from the unit's own respondents: a group of its own.
      const ownDecision = byRound.get(round.id)?.get(ownGroupId(unitId));
      const rootDecision = rootId ? byRound.get(round.id)?.get(rootId) : undefined;
      const own = revealGroup<OwnGroupFigures>(
        ownDecision,
        {
          quadrant: team?.quadrant ?? null,
          autonomy: team?.autonomy ?? null,
          alignment: team?.alignment ?? null,
        },
        k,
      );
      const dimensions: Shown<DimensionFigure>[] = round.definition.dimensions.flatMap((d) => {
        const r = aggregateOf(unitId, round.id, d.key);
        if (!r) return [];
        const b = rootId ? aggregateOf(rootId, round.id, d.key) : undefined;
        const benchmark = b
          ? reveal(rootDecision, { n: b.n, mean: b.mean, ciLow: b.ciLow, ciHigh: b.ciHigh }, k)
          : null;
        const figure = reveal(
          v,
          {
            key: d.key,
            name: d.name,
            n: r.n,
            mean: r.mean,
            se: r.se,
            ciLow: r.ciLow,
            ciHigh: r.ciHigh,
            score: r.score,
            favourable: r.favourable,
            unfavourable: r.unfavourable,
            rwgJ: r.rwgJ,
            percentile: r.percentile,
            benchmark: benchmark
              ? { mean: benchmark.mean, ciLow: benchmark.ciLow, ciHigh: benchmark.ciHigh }
              : null,
          },
          k,
        );
        return figure ? [figure] : [];
      });
      return {
        ...base,
        shown: true as const,
        ownShown: own !== null,
        quadrant: own?.quadrant ?? null,
        autonomy: own?.autonomy ?? null,
        alignment: own?.alignment ?? null,
        dimensions,
      };
    });

    const latest = trends.at(-1) ?? null;
    let flags: Shown<FlagView[]> | [] = [];
    let items: Shown<ItemFigure>[] = [];
    if (latest?.shown && latest.ownShown) {
      const roundId = latest.round.id;
      const ownDecision = byRound.get(roundId)?.get(ownGroupId(unitId));
      flags =
        revealGroup(
          ownDecision,
          await this.db.query<FlagView[]>(
            // The model's order: the two failures Trellis exists for come first.
            `select code, level, evidence, explanation, actions from flag where round_id = $1 and unit_id = $2
              order by array_position($3::text[], code), code`,
            [roundId, unitId, FLAG_CODES],
          ),
          k,
        ) ?? [];
      const definition = rounds.at(-1)!.definition;
      const rows = await this.db.query<
        { itemKey: string; n: number; mean: number | null; distribution: number[] }[]
      >(
        `select item_key as "itemKey", n, mean, distribution from item_result where round_id = $1 and unit_id = $2`,
        [roundId, unitId],
      );
      items = definition.items.flatMap((item) => {
        const row = rows.find((r) => r.itemKey === item.key);
        const figure = row
          ? reveal(
              ownDecision,
              {
                key: item.key,
                dimension: item.dimension,
                text: item.text,
                reverse: item.reverse,
                ...row,
              },
              k,
            )
          : null;
        return figure ? [figure] : [];
      });
    }
    return {
      unit: { id: unit.id, name: unit.name, kind: unit.kind },
      minimumGroupSize: k,
      scale: rounds.at(-1)?.definition.scale ?? null,
      dimensionScales: (rounds.at(-1)?.definition.dimensions ?? []).map((d) => ({
        dimension: d.key,
        scale: dimensionScale(rounds.at(-1)!.definition, d.key),
      })),
      latest,
      flags,
      items,
      trends,
    };
  }

  /** Units × dimensions for one round; hidden cells carry no numbers. */
  async heatmap(organisationId: string, roundId?: string) {
    const [round] = await this.db.query<RoundRow[]>(
      `select r.id, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd",
              v.definition
         from round r join instrument_version v on v.id = r.instrument_version_id
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null and ($2::uuid is null or r.id = $2)
        order by r.period_start desc, r.id limit 1`,
      [organisationId, roundId ?? null],
    );
    if (!round && roundId) throw notFound('aggregated round');
    if (!round) return { round: null, minimumGroupSize: null, dimensions: [], rows: [] };
    const { byRound, k } = await this.visibility.decide(organisationId, [round.id]);
    const visibility = byRound.get(round.id)!;
    const units = await this.db.query<
      { id: string; parentId: string | null; name: string; kind: string }[]
    >(
      `select id, parent_id as "parentId", name, kind from unit where organisation_id = $1 order by kind <> 'organisation', name, id`,
      [organisationId],
    );
    const aggregateOf = indexAggregates(
      await this.db.query<ResultRow[]>(`${RESULT} where round_id = $1`, [round.id]),
    );
    const dimensions = round.definition.dimensions.map((d) => ({ key: d.key, name: d.name }));
    return {
      round: { id: round.id, periodStart: round.periodStart, periodEnd: round.periodEnd },
      minimumGroupSize: k,
      dimensions,
      rows: units
        .filter((u) => (visibility.get(u.id)?.respondents ?? 0) > 0)
        .map((u) => {
          const v = visibility.get(u.id)!;
          if (!v.shown) return { unit: u, ...this.suppressed(v, k) };
          return {
            unit: u,
            shown: true as const,
            respondents: v.respondents,
            cells: Object.fromEntries(
              dimensions.map((d) => {
                const r = aggregateOf(u.id, round.id, d.key);
                const cell = r
                  ? reveal(
                      v,
                      { n: r.n, mean: r.mean, score: r.score, ciLow: r.ciLow, ciHigh: r.ciHigh },
                      k,
                    )
                  : null;
                return [
                  d.key,
                  cell
                    ? { mean: cell.mean, score: cell.score, ciLow: cell.ciLow, ciHigh: cell.ciHigh }
                    : null,
                ];
              }),
            ),
          };
        }),
    };
  }

  /** Respondents and response rates per round; counts may always be shown. */
  async participation(organisationId: string): Promise<ParticipationRound[]> {
    return this.db.query<ParticipationRound[]>(
      `select r.id as "roundId", to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", r.source,
              sum(tr.respondents)::int as respondents, nullif(sum(tr.invited), 0)::int as invited,
              case when sum(tr.invited) > 0 then least(1, sum(tr.respondents)::float8 / sum(tr.invited)) end as "responseRate"
         from round r join team_round tr on tr.round_id = r.id
        where r.organisation_id = $1 group by r.id order by r.period_start, r.id`,
      [organisationId],
    );
  }
}
