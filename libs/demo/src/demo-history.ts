import { DEFAULT_MIN_COMMENT_GROUP } from '@trellis/anonymity';
import {
  generateOrganisation,
  historyCsv,
  teamComments,
  type Archetype,
  type SyntheticComments,
} from '@trellis/synthetic';

/**
 * Which story each demo team tells. The answers come from the synthetic generator, so the demo
 * shows the same archetypes the flag tests are scored on: Checkout and Sales North America are
 * micromanaged, Sales EMEA is abandoned, Search is split.
 */
export const DEMO_ARCHETYPES: Readonly<Record<string, Archetype>> = {
  platform: 'aligned_autonomy',
  sre: 'aligned_autonomy',
  'people-ops': 'aligned_autonomy',
  checkout: 'micromanaged',
  'sales-na': 'micromanaged',
  'sales-emea': 'abandoned',
  search: 'split',
  mobile: 'adrift',
};

export interface DemoHistoryRound {
  periodStart: string;
  periodEnd: string;
  csv: string;
  /** Per data row of `csv`, that respondent's comments, or null. */
  comments: (SyntheticComments | null)[];
  /** Per data row of `csv`, its demo team's key. */
  teams: string[];
}

/**
 * Who comments, as a share of each team's respondents, so that with the default comment minimum
 * (10) the demo shows every way comments are read: Sales EMEA (abandoned, 9–11 respondents,
 * everyone has something to say) is read at the team when ten or more of them answered;
 * Checkout, Search and Mobile each have too few commenters and are read together at Product, as
 * Platform and Site Reliability are at Infrastructure. Sales North America speaks up only in
 * rounds where EMEA alone is short, so that Sales is then a pool of its own: in the other rounds
 * a handful of its comments beside EMEA's would be the department's pool minus EMEA's, and
 * complementary suppression would take EMEA's own pool away. People Operations writes nothing
 * (its few commenters would have to rise to the whole organisation and pull a pool with them).
 */
export const DEMO_COMMENT_SHARES: Readonly<Record<string, number>> = {
  platform: 0.7,
  sre: 0.7,
  checkout: 0.6,
  search: 0.5,
  mobile: 0.5,
  'sales-emea': 1,
  'sales-na': 0.6,
  'people-ops': 0,
};

/** Comments draw on a stream of their own: the answers stay those of the seed alone. */
const COMMENT_SEED = 2026;

const DAY_MS = 86_400_000;

/**
 * Fortnightly rounds ending a few days before `today`, in the history-import format, with
 * comments in each team's archetype voice (`minCommentGroup`: the organisation's minimum, which
 * decides in which rounds Sales North America speaks, see DEMO_COMMENT_SHARES).
 */
export function demoHistory(
  today: Date,
  rounds = 8,
  minCommentGroup = DEFAULT_MIN_COMMENT_GROUP,
): DemoHistoryRound[] {
  const start = new Date(today.getTime() - (rounds * 14 + 2) * DAY_MS).toISOString().slice(0, 10);
  const mix: Partial<Record<Archetype, number>> = {};
  for (const archetype of Object.values(DEMO_ARCHETYPES))
    mix[archetype] = (mix[archetype] ?? 0) + 1;
  const synthetic = generateOrganisation({
    seed: 2026,
    teams: Object.keys(DEMO_ARCHETYPES).length,
    rounds,
    archetypeMix: mix,
    teamSize: { min: 6, max: 12 },
    participation: { min: 0.75, max: 1 },
    startDate: start,
    roundEveryDays: 14,
    switchShare: 0,
  });
  // Pair each demo team with a generated team of its archetype.
  const pool = new Map<Archetype, string[]>();
  for (const team of synthetic.teams)
    pool.set(team.archetype, [...(pool.get(team.archetype) ?? []), team.key]);
  const demoKeyOf = new Map<string, string>();
  for (const [demoKey, archetype] of Object.entries(DEMO_ARCHETYPES)) {
    const generated = pool.get(archetype)?.shift();
    if (!generated) throw new Error(`the generator made no ${archetype} team for ${demoKey}`);
    demoKeyOf.set(generated, demoKey);
  }
  return synthetic.rounds.map((round) => {
    const responses = round.responses.map((r) => ({ ...r, teamKey: demoKeyOf.get(r.teamKey)! }));
    return {
      periodStart: round.periodStart,
      periodEnd: round.periodEnd,
      csv: historyCsv({ ...round, responses }),
      comments: roundComments(
        round.index,
        responses.map((r) => r.teamKey),
        minCommentGroup,
      ),
      teams: responses.map((r) => r.teamKey),
    };
  });
}

/** Each row's comments, drawn per team from that team's respondents in the round. */
function roundComments(
  round: number,
  teamOfRow: readonly string[],
  minCommentGroup: number,
): (SyntheticComments | null)[] {
  const respondents = new Map<string, number>();
  for (const team of teamOfRow) respondents.set(team, (respondents.get(team) ?? 0) + 1);
  const emeaAlone = (respondents.get('sales-emea') ?? 0) >= minCommentGroup;
  const drawn = new Map(
    [...respondents].map(([teamKey, n]) => {
      const share = teamKey === 'sales-na' && emeaAlone ? 0 : DEMO_COMMENT_SHARES[teamKey];
      const archetype = DEMO_ARCHETYPES[teamKey];
      return [
        teamKey,
        teamComments({ seed: COMMENT_SEED, round, teamKey, archetype, respondents: n, share }),
      ];
    }),
  );
  const next = new Map<string, number>();
  return teamOfRow.map((team) => {
    const i = next.get(team) ?? 0;
    next.set(team, i + 1);
    return drawn.get(team)![i];
  });
}
