/**
 * The team archetypes planted in synthetic organisations (domain.md section 5) and the latent
 * climate each one has, on the built-in instrument's 1..5 scale (higher = more of the dimension;
 * for `over_control` higher is worse). These are the *latent* team means before any noise: the
 * answers a team gives scatter around them (see NOISE in generator.ts), so observed team means
 * are a little pulled toward the middle of the scale by rounding and clamping.
 *
 * The profiles are chosen so the flag rules of domain.md section 3 separate the archetypes
 * reliably but not trivially: each planted problem sits 0.7–0.85 scale points past its rule's
 * thresholds (about 2–2.5 sd of a team-round mean), so 1–4 % of planted team-rounds with five or
 * more respondents still miss the rule, and the distractors (adrift: low autonomy without
 * control; split: two opposite halves whose means look harmless) share some of the symptoms.
 * Measured on 12 seeds × 400 teams × 12 rounds: the micromanagement rule holds for 96–99.6 % of
 * micromanaged team-rounds, abandonment for 96.7–99.7 % of abandoned ones, either rule for
 * ≤ 1.1 % of aligned-autonomy ones; about 6 % of split team-rounds trip micromanagement and
 * 11 % abandonment on their means, while rwg(j) < .50 catches about 94 % of them.
 */

export const ARCHETYPES = [
  'aligned_autonomy',
  'micromanaged',
  'abandoned',
  'adrift',
  'split',
] as const;

export type Archetype = (typeof ARCHETYPES)[number];

/** The built-in instrument's dimension keys, in its order. */
export const DIMENSION_KEYS = [
  'psych_safety',
  'purpose_clarity',
  'decision_rights',
  'alignment',
  'leader_support',
  'over_control',
] as const;

export type DimensionKey = (typeof DIMENSION_KEYS)[number];

export type DimensionProfile = Readonly<Record<DimensionKey, number>>;

export interface ArchetypeProfile {
  archetype: Archetype;
  description: string;
  /** Latent team mean per dimension on 1..5; for `split` the mean of its two halves. */
  latent: DimensionProfile;
  /**
   * Only for `split`: the latent means of the two halves of the team. Members alternate between
   * them, so each half holds about half the team.
   */
  halves?: readonly [DimensionProfile, DimensionProfile];
}

/** Flags of domain.md section 3 that a team of this archetype is planted to raise. */
export type PlantedFlag = 'micromanagement' | 'abandonment' | 'split_team';

const MICROMANAGED_HALF: DimensionProfile = {
  psych_safety: 3.2,
  purpose_clarity: 3.4,
  decision_rights: 2.2,
  alignment: 3.3,
  leader_support: 3.4,
  over_control: 4.2,
};

const ABANDONED_HALF: DimensionProfile = {
  psych_safety: 3.2,
  purpose_clarity: 3.4,
  decision_rights: 4.3,
  alignment: 3.3,
  leader_support: 2.2,
  over_control: 1.7,
};

function meanProfile(a: DimensionProfile, b: DimensionProfile): DimensionProfile {
  const out = {} as Record<DimensionKey, number>;
  for (const key of DIMENSION_KEYS) out[key] = (a[key] + b[key]) / 2;
  return out;
}

export const ARCHETYPE_PROFILES: Readonly<Record<Archetype, ArchetypeProfile>> = {
  aligned_autonomy: {
    archetype: 'aligned_autonomy',
    description:
      'Healthy: people decide how to work within a shared direction, and the leader vets plans ' +
      'and clears roadblocks without taking over.',
    latent: {
      psych_safety: 4.1,
      purpose_clarity: 4.1,
      decision_rights: 4.0,
      alignment: 3.9,
      leader_support: 3.9,
      over_control: 1.9,
    },
  },
  micromanaged: {
    archetype: 'micromanaged',
    description:
      'Directed: the team knows the purpose and shares priorities, but the leader checks details ' +
      'and wants approval for small decisions, so ownership is crowded out.',
    latent: {
      psych_safety: 3.1,
      purpose_clarity: 3.9,
      decision_rights: 2.15,
      alignment: 3.8,
      leader_support: 3.3,
      over_control: 4.3,
    },
  },
  abandoned: {
    archetype: 'abandoned',
    description:
      '"I trust you, let me know how it goes": plenty of freedom, but the leader neither vets ' +
      'plans nor unblocks, and direction has faded.',
    latent: {
      psych_safety: 3.4,
      purpose_clarity: 2.8,
      decision_rights: 4.35,
      alignment: 2.5,
      leader_support: 2.3,
      over_control: 1.7,
    },
  },
  adrift: {
    archetype: 'adrift',
    description:
      'Little autonomy and little alignment, without a controlling leader: nobody steers and ' +
      'nobody feels free to. Raises neither the micromanagement nor the abandonment flag.',
    latent: {
      psych_safety: 3.0,
      purpose_clarity: 2.7,
      decision_rights: 2.7,
      alignment: 2.5,
      leader_support: 2.8,
      over_control: 2.3,
    },
  },
  split: {
    archetype: 'split',
    description:
      'Two halves living different leaderships: one half is micromanaged (low decision rights, ' +
      'high over-control), the other abandoned (high decision rights, low leader support). The ' +
      'team means look unremarkable; agreement (rwg(j)) on those dimensions is low.',
    latent: meanProfile(MICROMANAGED_HALF, ABANDONED_HALF),
    halves: [MICROMANAGED_HALF, ABANDONED_HALF],
  },
};

export const PLANTED_FLAGS: Readonly<Record<Archetype, readonly PlantedFlag[]>> = {
  aligned_autonomy: [],
  micromanaged: ['micromanagement'],
  abandoned: ['abandonment'],
  adrift: [],
  split: ['split_team'],
};

/** The default share of each archetype in a generated organisation. */
export const DEFAULT_ARCHETYPE_MIX: Readonly<Record<Archetype, number>> = {
  aligned_autonomy: 0.35,
  micromanaged: 0.2,
  abandoned: 0.2,
  adrift: 0.13,
  split: 0.12,
};

/**
 * What a team that changes archetype half-way may turn into, with the story behind it:
 * an overloaded leader stops vetting plans (aligned → abandoned), a coached leader lets go
 * (micromanaged → aligned), a leader over-corrects after a failed delivery (abandoned →
 * micromanaged), a new leader takes the wheel (adrift → micromanaged), a leader treats everyone
 * alike again (split → aligned).
 */
export const ARCHETYPE_TRANSITIONS: Readonly<Record<Archetype, readonly Archetype[]>> = {
  aligned_autonomy: ['abandoned', 'micromanaged'],
  micromanaged: ['aligned_autonomy', 'split'],
  abandoned: ['micromanaged', 'aligned_autonomy'],
  adrift: ['micromanaged', 'aligned_autonomy'],
  split: ['aligned_autonomy', 'micromanaged'],
};

export function isArchetype(value: unknown): value is Archetype {
  return typeof value === 'string' && (ARCHETYPES as readonly string[]).includes(value);
}
