import { generateOrganisation, historyCsv, type Archetype } from '@trellis/synthetic';

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
}

const DAY_MS = 86_400_000;

/** Fortnightly rounds ending a few days before `today`, in the history-import format. */
export function demoHistory(today: Date, rounds = 8): DemoHistoryRound[] {
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
  return synthetic.rounds.map((round) => ({
    periodStart: round.periodStart,
    periodEnd: round.periodEnd,
    csv: historyCsv({
      ...round,
      responses: round.responses.map((r) => ({ ...r, teamKey: demoKeyOf.get(r.teamKey)! })),
    }),
  }));
}
