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
import { invalid, notFound } from '@trellis/errors';
import { answerTones, changeBetween, FLAG_CODES, type Change, type Tone } from '@trellis/scoring';
import { dimensionScale, type InstrumentDef, type Scale } from '@trellis/surveys';
import { ResultsVisibility } from './results-visibility';
import { invitedIn } from './invited';
import {
  belowAgreement,
  organisationStatistics,
  roundBasis,
  type OrganisationStatistic,
  type RoundBasis,
} from './round-statistics';
import { summariseTeams, type TeamsSummary } from './teams-summary';

interface RoundRow {
  id: string;
  periodStart: string;
  periodEnd: string;
  definition: InstrumentDef;
  aggregatedAt: Date | null;
  campaignId: string | null;
  campaignName: string | null;
  source: string;
}

/** A round a reader may pick: aggregated, with the campaign it belongs to. */
export interface RoundChoice {
  id: string;
  periodStart: string;
  periodEnd: string;
  aggregatedAt: string | null;
  source: string;
  campaign: { id: string; name: string } | null;
}

const ROUND_COLUMNS = `r.id, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd",
  v.definition, r.aggregated_at as "aggregatedAt", r.campaign_id as "campaignId", c.name as "campaignName", r.source`;
const ROUND_FROM = `round r join instrument_version v on v.id = r.instrument_version_id
  left join campaign c on c.id = r.campaign_id`;

const choiceOf = (r: RoundRow): RoundChoice => ({
  id: r.id,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  aggregatedAt: r.aggregatedAt ? new Date(r.aggregatedAt).toISOString() : null,
  source: r.source,
  campaign: r.campaignId ? { id: r.campaignId, name: r.campaignName ?? '' } : null,
});

/** The round asked for among `rounds` (the latest when none is), or a 404 naming it. */
function pick<T extends { id: string }>(rounds: T[], roundId: string | undefined): T | undefined {
  if (!roundId) return rounds.at(-1);
  const found = rounds.find((r) => r.id === roundId);
  if (!found) throw notFound('aggregated round');
  return found;
}

interface ResultRow {
  roundId: string;
  unitId: string;
  dimension: string;
  rollup: boolean;
  n: number;
  mean: number | null;
  sd: number | null;
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
  /** The campaign the round belongs to (null for imported history): compare rounds within one. */
  campaignId: string | null;
  campaignName: string | null;
  /** Teams with at least one respondent in the round. */
  teams: number;
  respondents: number;
  invited: number | null;
  responseRate: number | null;
}

/** A dimension of a unit's report; only a `Shown` one gets into the view. */
export type DimensionFigure = Omit<ResultRow, 'roundId' | 'unitId' | 'dimension' | 'rollup'> & {
  key: string;
  name: string;
  /** rwg(j) below the agreement cut-off: the mean does not describe the team well. */
  belowAgreement: boolean;
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
  /** Single-item agreement rwg, floored at 0; null for fewer than two answers. */
  rwg: number | null;
  distribution: number[];
  /**
   * How each answer value (scale.min first) reads after reverse keying and the dimension's
   * direction: the colours of the distribution. Agreeing with "I am afraid to admit mistakes"
   * or with an over-control statement is unfavourable.
   */
  tones: Tone[];
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
  /** Answers from the unit and the units below it (a person in two teams answers for each). */
  respondents: number;
  responseRate: number | null;
}

/** A round whose group is hidden: its count and a sentence, nothing else. */
export interface SuppressedReportRound extends ReportRoundBase, Suppressed {}

/** A round whose group may be shown, every figure passed through `reveal`. */
export interface ShownReportRound extends ReportRoundBase {
  shown: true;
  /**
   * Invitations on the same basis as `respondents`: one per person and team asked, summed over
   * the teams below a department. Null when unknown (imported history).
   */
  invited: number | null;
  /** Whether the unit's own respondents (without units below it) may be shown. */
  ownShown: boolean;
  quadrant: string | null;
  autonomy: number | null;
  alignment: number | null;
  dimensions: Shown<DimensionFigure>[];
}

export type UnitReportRound = ShownReportRound | SuppressedReportRound;

/** How each dimension moved from an earlier round to the chosen one, with the change's interval. */
export interface Comparison {
  round: ReportRound;
  /** Whether the earlier round may be shown at all; without it there are no changes. */
  shown: boolean;
  changes: {
    key: string;
    name: string;
    earlier: number | null;
    later: number | null;
    change: Change | null;
  }[];
}

/** A unit's report: only shown values, or the sentence that stands for them. */
export interface UnitReport {
  unit: { id: string; name: string; kind: string };
  minimumGroupSize: number;
  scale: Scale | null;
  /**
   * Each dimension's scale (its own, else the instrument's), in the chosen round: every figure of
   * a dimension is on it. Empty before any round.
   */
  dimensionScales: { dimension: string; scale: Scale }[];
  /** The chosen round (`?round=`, the latest closed one by default); null before any. */
  latest: UnitReportRound | null;
  /** Every aggregated round this unit took part in, oldest first: the round picker's choices. */
  rounds: RoundChoice[];
  /** When and under which settings the chosen round was aggregated. */
  basis: RoundBasis | null;
  /** The organisation's ICC(1), ICC(2) and alpha for the chosen round, where they may be shown. */
  statistics: Shown<OrganisationStatistic>[];
  /** The chosen round against an earlier one (`?compare=`). */
  comparison: Comparison | null;
  /** The chosen round's flags, when its own group may be shown. */
  flags: Shown<FlagView[]> | [];
  items: Shown<ItemFigure>[];
  /** Every closed round, oldest first. */
  trends: UnitReportRound[];
  /**
   * For a unit with units below it: the teams under it in the latest round, which of them were
   * flagged (only teams whose results may be shown) and links to them. Null for a team.
   */
  teams: TeamsSummary | null;
}

const RESULT = `select round_id as "roundId", unit_id as "unitId", dimension, rollup, n, mean, sd, se, ci_low as "ciLow",
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

/** Every unit below `unitId` in the tree, at any depth. */
function descendantsOf(
  unitId: string,
  units: readonly { id: string; parentId: string | null }[],
): string[] {
  const out: string[] = [];
  const walk = (id: string) => {
    for (const u of units)
      if (u.parentId === id) {
        out.push(u.id);
        walk(u.id);
      }
  };
  walk(unitId);
  return out;
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

  async unitReport(
    unitId: string,
    choice: { roundId?: string; compareId?: string } = {},
  ): Promise<UnitReport> {
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
      `select ${ROUND_COLUMNS}
         from ${ROUND_FROM}
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null
          and exists (select 1 from round_unit_visibility v
                       where v.round_id = r.id and v.unit_id = $2 and not v.own and v.respondents > 0)
        order by r.period_start, r.id`,
      [unit.organisationId, unitId],
    );
    const roundIds = rounds.map((r) => r.id);
    const { byRound, k, rootId, units } = await this.visibility.decide(
      unit.organisationId,
      roundIds,
    );
    const below = descendantsOf(unitId, units);
    const results = await this.db.query<ResultRow[]>(
      `${RESULT} where round_id = any($1::uuid[]) and unit_id = any($2::uuid[])`,
      [roundIds, [unitId, rootId]],
    );
    const aggregateOf = indexAggregates(results);
    const teamRounds = await this.db.query<TeamRoundRow[]>(
      `select round_id as "roundId", unit_id as "unitId", respondents, invited, response_rate as "responseRate",
              autonomy, alignment, quadrant from team_round where round_id = any($1::uuid[]) and unit_id = any($2::uuid[])`,
      [roundIds, [unitId, ...below]],
    );

    const trends = rounds.map((round): UnitReportRound => {
      const v = byRound.get(round.id)?.get(unitId);
      const team = teamRounds.find((t) => t.roundId === round.id && t.unitId === unitId);
      const invitation = invitedIn(teamRounds.filter((t) => t.roundId === round.id));
      const base = {
        round: { id: round.id, periodStart: round.periodStart, periodEnd: round.periodEnd },
        respondents: v?.respondents ?? 0,
        responseRate: invitation.responseRate,
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
            sd: r.sd,
            se: r.se,
            ciLow: r.ciLow,
            ciHigh: r.ciHigh,
            score: r.score,
            favourable: r.favourable,
            unfavourable: r.unfavourable,
            rwgJ: r.rwgJ,
            belowAgreement: belowAgreement(r.rwgJ),
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
        invited: invitation.invited,
        shown: true as const,
        ownShown: own !== null,
        quadrant: own?.quadrant ?? null,
        autonomy: own?.autonomy ?? null,
        alignment: own?.alignment ?? null,
        dimensions,
      };
    });

    const chosen = pick(rounds, choice.roundId);
    const chosenAt = chosen ? rounds.indexOf(chosen) : -1;
    const latest = chosen ? trends[chosenAt] : null;
    let comparison: Comparison | null = null;
    if (choice.compareId) {
      const earlierAt = rounds.findIndex((r) => r.id === choice.compareId);
      if (earlierAt < 0) throw notFound('aggregated round to compare with');
      if (earlierAt >= chosenAt)
        throw invalid({ field: 'compare', message: 'must be a round before the chosen one' });
      comparison = this.compare(trends[earlierAt], latest!, rounds[chosenAt].definition);
    }
    const statistics = chosen
      ? ((await organisationStatistics(this.db, [chosen.id], byRound, rootId, k)).get(chosen.id) ??
        [])
      : [];
    const basis = chosen ? await roundBasis(this.db, unit.organisationId, chosen.id, k) : null;
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
      const definition = chosen!.definition;
      const rows = await this.db.query<
        {
          itemKey: string;
          n: number;
          mean: number | null;
          rwg: number | null;
          distribution: number[];
        }[]
      >(
        `select item_key as "itemKey", n, mean, rwg, distribution from item_result where round_id = $1 and unit_id = $2`,
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
                tones: answerTones(
                  dimensionScale(definition, item.dimension),
                  item,
                  definition.dimensions.find((d) => d.key === item.dimension) ?? {
                    key: item.dimension,
                  },
                ),
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
      scale: chosen?.definition.scale ?? null,
      dimensionScales: (chosen?.definition.dimensions ?? []).map((d) => ({
        dimension: d.key,
        scale: dimensionScale(chosen!.definition, d.key),
      })),
      latest,
      rounds: rounds.map(choiceOf),
      basis,
      statistics,
      comparison,
      flags,
      items,
      trends,
      teams:
        below.length === 0 || !latest
          ? null
          : await summariseTeams(this.db, {
              roundId: latest.round.id,
              decisions: byRound.get(latest.round.id),
              k,
              units: units.filter((u) => below.includes(u.id)),
              teamRounds: teamRounds.filter((t) => t.roundId === latest.round.id),
            }),
    };
  }

  /** How each dimension moved between two rounds of the report, only where both are shown. */
  private compare(
    earlier: UnitReportRound,
    later: UnitReportRound,
    definition: InstrumentDef,
  ): Comparison {
    const shown = earlier.shown && later.shown;
    const find = (r: UnitReportRound, key: string) =>
      r.shown ? r.dimensions.find((d) => d.key === key) : undefined;
    return {
      round: earlier.round,
      shown: earlier.shown,
      changes: shown
        ? definition.dimensions.map((d) => {
            const a = find(earlier, d.key);
            const b = find(later, d.key);
            return {
              key: d.key,
              name: d.name,
              earlier: a?.mean ?? null,
              later: b?.mean ?? null,
              change: a && b ? changeBetween(a, b, d) : null,
            };
          })
        : [],
    };
  }

  /** The organisation's aggregated rounds, oldest first: the overview's round picker. */
  async rounds(organisationId: string): Promise<RoundChoice[]> {
    const rows = await this.db.query<RoundRow[]>(
      `select ${ROUND_COLUMNS} from ${ROUND_FROM}
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null
        order by r.period_start, r.id`,
      [organisationId],
    );
    return rows.map(choiceOf);
  }

  /**
   * Units × dimensions for one round (the latest by default); hidden cells carry no numbers.
   * Only units that took part in the round have rows; the others are listed as not taking part,
   * so a pilot round of one team reads as that, not as the organisation.
   */
  async heatmap(organisationId: string, roundId?: string) {
    const [round] = await this.db.query<RoundRow[]>(
      `select ${ROUND_COLUMNS}
         from ${ROUND_FROM}
        where r.organisation_id = $1 and r.status = 'closed' and r.aggregated_at is not null and ($2::uuid is null or r.id = $2)
        order by r.period_start desc, r.id limit 1`,
      [organisationId, roundId ?? null],
    );
    if (!round && roundId) throw notFound('aggregated round');
    if (!round)
      return {
        round: null,
        minimumGroupSize: null,
        basis: null,
        dimensions: [],
        rows: [],
        notTakingPart: [],
        statistics: [],
      };
    const { byRound, k, rootId } = await this.visibility.decide(organisationId, [round.id]);
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
    const took = (u: { id: string }) => (visibility.get(u.id)?.respondents ?? 0) > 0;
    return {
      round: choiceOf(round),
      minimumGroupSize: k,
      basis: await roundBasis(this.db, organisationId, round.id, k),
      dimensions,
      /** Units with no respondents in this round. */
      notTakingPart: units.filter((u) => !took(u)),
      statistics:
        (await organisationStatistics(this.db, [round.id], byRound, rootId, k)).get(round.id) ?? [],
      rows: units.filter(took).map((u) => {
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
                    {
                      n: r.n,
                      mean: r.mean,
                      score: r.score,
                      ciLow: r.ciLow,
                      ciHigh: r.ciHigh,
                      sd: r.sd,
                      rwgJ: r.rwgJ,
                    },
                    k,
                  )
                : null;
              return [
                d.key,
                cell
                  ? {
                      mean: cell.mean,
                      score: cell.score,
                      ciLow: cell.ciLow,
                      ciHigh: cell.ciHigh,
                      sd: cell.sd,
                      rwgJ: cell.rwgJ,
                      belowAgreement: belowAgreement(cell.rwgJ),
                    }
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
              r.campaign_id as "campaignId", (select c.name from campaign c where c.id = r.campaign_id) as "campaignName",
              count(*) filter (where tr.respondents > 0)::int as teams,
              sum(tr.respondents)::int as respondents, nullif(sum(tr.invited), 0)::int as invited,
              case when sum(tr.invited) > 0 then least(1, sum(tr.respondents)::float8 / sum(tr.invited)) end as "responseRate"
         from round r join team_round tr on tr.round_id = r.id
        where r.organisation_id = $1 group by r.id order by r.period_start, r.id`,
      [organisationId],
    );
  }
}
