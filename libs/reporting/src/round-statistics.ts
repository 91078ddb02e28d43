import { reveal, type Shown, type UnitVisibility } from '@trellis/anonymity';
import type { Sql } from '@trellis/database';
import {
  DEFAULT_FLAG_THRESHOLDS,
  flagThresholds,
  icc1,
  icc2,
  oneWayAnova,
  type FlagThresholds,
} from '@trellis/scoring';

/**
 * The conventional reading of rwg(j) (domain.md §2): at or above it the team agrees enough for
 * its mean to describe it. The organisation settings hold no value for it, so the model's is used;
 * a mean below it is marked wherever it is shown (report, heatmap, export).
 */
export const AGREEMENT_CUTOFF = 0.7;

/** Whether a shown team mean rests on too little agreement to describe the team. */
export const belowAgreement = (rwgJ: number | null | undefined): boolean =>
  typeof rwgJ === 'number' && rwgJ < AGREEMENT_CUTOFF;

/**
 * ICC(1), ICC(2) and alpha of one dimension in one round: over every team that took part when
 * every team's figure may be shown (as stored, as R computes them); otherwise ICC over the shown
 * teams alone and no alpha (see `fromShownTeams`).
 */
export interface OrganisationStatistic {
  dimension: string;
  /** Respondents behind the figures: every team's, or the shown teams' when some are hidden. */
  n: number;
  teams: number;
  icc1: number | null;
  icc2: number | null;
  alpha: number | null;
}

/** How a round was aggregated: when, and under which settings (those in force: see below). */
export interface RoundBasis {
  aggregatedAt: string | null;
  /**
   * Whether the results are on the organisation's current basis (tree and settings); false while
   * they are re-derived after a change, when nothing of the round is shown.
   */
  current: boolean;
  minimumGroupSize: number;
  agreementCutoff: number;
  thresholds: FlagThresholds;
}

/**
 * The organisation-wide figures of each round that may be shown. They are computed over every
 * team, hidden ones too, so they are a figure of the organisation as a whole and pass the
 * organisation's (the root's) decision: aggregation stores them only where the root's aggregate
 * may be shown, and complementary suppression makes the hidden remainder under a shown root
 * 0 or ≥ k respondents, so no shown figure differs from these by fewer than k people. On top,
 * a figure needs at least two teams (with one, the "organisation" is that team, and ICC is
 * undefined anyway) and k respondents. A round being re-derived (root decision 'recomputing',
 * never shown) yields nothing.
 */
export async function organisationStatistics(
  sql: Sql,
  roundIds: readonly string[],
  byRound: Map<string, Map<string, UnitVisibility>>,
  rootId: string | undefined,
  k: number,
): Promise<Map<string, Shown<OrganisationStatistic>[]>> {
  const rows = roundIds.length
    ? await sql.query<(OrganisationStatistic & { roundId: string })[]>(
        `select round_id as "roundId", dimension, respondents as n, teams, icc1, icc2, alpha
           from organisation_result where round_id = any($1::uuid[])`,
        [roundIds],
      )
    : [];
  // The teams' own figures that were stored, that is, may be shown (the gate stores no other).
  const shownTeams = roundIds.length
    ? await sql.query<
        { roundId: string; dimension: string; n: number; mean: number; sd: number | null }[]
      >(
        `select r.round_id as "roundId", r.dimension, r.n, r.mean, r.sd
           from unit_result r join unit u on u.id = r.unit_id
          where r.round_id = any($1::uuid[]) and not r.rollup and u.kind = 'team'`,
        [roundIds],
      )
    : [];
  const out = new Map<string, Shown<OrganisationStatistic>[]>(roundIds.map((id) => [id, []]));
  for (const { roundId, ...row } of rows) {
    const root = rootId ? byRound.get(roundId)?.get(rootId) : undefined;
    const teams = shownTeams.filter((t) => t.roundId === roundId && t.dimension === row.dimension);
    const figures = teams.length === row.teams ? row : fromShownTeams(row.dimension, teams);
    if (figures.teams < 2) continue;
    const shown = reveal(root, figures, k);
    if (shown) out.get(roundId)?.push(shown);
  }
  return out;
}

/**
 * The figures over the shown teams alone, when some team's figure is hidden. ICC(1) and ICC(2)
 * over every team would give away a hidden team's mean: with the shown teams' means and sizes,
 * the organisation's mean and sd and the hidden teams' respondent counts, MSB pins the hidden
 * means down. Over the shown teams they follow from figures already shown (each team's n, mean
 * and sd), so they say nothing new; alpha, which needs the items of everyone, is left out.
 */
function fromShownTeams(
  dimension: string,
  teams: readonly { n: number; mean: number; sd: number | null }[],
): OrganisationStatistic {
  const moments = teams.map((t) => ({
    n: t.n,
    sum: t.n * t.mean,
    sumSquares: (t.n - 1) * (t.sd ?? 0) ** 2 + t.n * t.mean * t.mean,
  }));
  const anova = oneWayAnova(moments);
  return {
    dimension,
    n: teams.reduce((sum, t) => sum + t.n, 0),
    teams: teams.length,
    icc1: icc1(anova),
    icc2: icc2(anova),
    alpha: null,
  };
}

/**
 * The settings a round's shown results were computed under. A round is shown only while its
 * results basis is the organisation's current one (results-visibility.ts), so those are the
 * organisation's settings as they are now.
 */
export async function roundBasis(
  sql: Sql,
  organisationId: string,
  roundId: string,
  k: number,
): Promise<RoundBasis> {
  const [row] = await sql.query<
    { aggregatedAt: Date | null; current: boolean; settings: Record<string, unknown> }[]
  >(
    `select r.aggregated_at as "aggregatedAt", o.settings,
            coalesce(r.results_epoch = o.results_epoch, false) as current
       from round r join organisation o on o.id = r.organisation_id
      where r.id = $1 and o.id = $2`,
    [roundId, organisationId],
  );
  const reading = flagThresholds(row?.settings?.flags);
  return {
    aggregatedAt: row?.aggregatedAt ? new Date(row.aggregatedAt).toISOString() : null,
    current: row?.current ?? false,
    minimumGroupSize: k,
    agreementCutoff: AGREEMENT_CUTOFF,
    thresholds: reading.ok ? reading.value : structuredClone(DEFAULT_FLAG_THRESHOLDS),
  };
}
