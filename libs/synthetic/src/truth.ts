/**
 * Scoring a detector (the flag rules, a model, a person) against the archetypes planted in a
 * synthetic organisation.
 */
import { PLANTED_FLAGS, type Archetype, type PlantedFlag } from './archetypes';
import type { SyntheticOrganisation, SyntheticRound } from './generator';

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** tp / (tp + fp); see `confusion` for the empty cases. */
  precision: number;
  /** tp / (tp + fn); see `confusion` for the empty cases. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

/**
 * Counts a detector's hits and misses against the truth, over the keys of `truth`.
 *
 * Conventions:
 * - A key of `truth` that `detected` lacks counts as not detected (a team whose results were
 *   suppressed raised no flag). A key of `detected` that `truth` lacks is a mistake in the
 *   caller's bookkeeping and throws, rather than silently counting for or against the detector.
 * - An empty ratio (0/0) is 1 only when it is vacuous on both sides: precision = 1 when nothing
 *   was detected AND nothing was true (there was nothing to find and no false alarm); when
 *   nothing was detected but something was true, precision is 0, so a detector that never fires
 *   cannot pass a precision check. Recall alike: 1 when nothing was true and nothing detected,
 *   0 when nothing was true but something was detected.
 */
export function confusion<K>(
  truth: ReadonlyMap<K, boolean>,
  detected: ReadonlyMap<K, boolean>,
): Confusion {
  for (const key of detected.keys()) {
    if (!truth.has(key)) throw new RangeError(`detected key ${String(key)} has no ground truth`);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const [key, isTrue] of truth) {
    const hit = detected.get(key) === true;
    if (isTrue && hit) tp++;
    else if (isTrue) fn++;
    else if (hit) fp++;
    else tn++;
  }
  const vacuous = tp + fp + fn === 0;
  const ratio = (num: number, den: number) => (den === 0 ? (vacuous ? 1 : 0) : num / den);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { tp, fp, fn, tn, precision, recall, f1 };
}

/** The key `archetypeTruth` and `flagTruth` use for a team in a round. */
export function teamRoundKey(teamKey: string, roundIndex: number): string {
  return `${teamKey}@${roundIndex}`;
}

/** Respondents per team in a round; teams nobody answered for are absent. */
export function respondentCounts(round: SyntheticRound): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { teamKey } of round.responses) counts.set(teamKey, (counts.get(teamKey) ?? 0) + 1);
  return counts;
}

export interface TruthOptions {
  /**
   * Leave out team-rounds with fewer respondents, e.g. the minimum group size k, since no flag
   * may be shown for them (domain.md section 4). Default 0: every team in every round.
   */
  minRespondents?: number;
  /** Only these round indexes; default all. */
  rounds?: readonly number[];
}

/**
 * Per team-round (keyed by `teamRoundKey`): is the planted archetype one of `archetypes`?
 * Uses each round's own truth, so teams that change archetype half-way count as what they were
 * in that round.
 */
export function archetypeTruth(
  org: SyntheticOrganisation,
  archetypes: Archetype | readonly Archetype[],
  options: TruthOptions = {},
): Map<string, boolean> {
  const wanted = new Set<Archetype>(typeof archetypes === 'string' ? [archetypes] : archetypes);
  return truthBy(org, (archetype) => wanted.has(archetype), options);
}

/** Per team-round: was the team planted to raise this flag (`PLANTED_FLAGS`)? */
export function flagTruth(
  org: SyntheticOrganisation,
  flag: PlantedFlag,
  options: TruthOptions = {},
): Map<string, boolean> {
  return truthBy(org, (archetype) => PLANTED_FLAGS[archetype].includes(flag), options);
}

function truthBy(
  org: SyntheticOrganisation,
  test: (archetype: Archetype) => boolean,
  { minRespondents = 0, rounds }: TruthOptions,
): Map<string, boolean> {
  const only = rounds ? new Set(rounds) : undefined;
  const out = new Map<string, boolean>();
  for (const round of org.rounds) {
    if (only && !only.has(round.index)) continue;
    const counts = minRespondents > 0 ? respondentCounts(round) : undefined;
    for (const team of org.teams) {
      if (counts && (counts.get(team.key) ?? 0) < minRespondents) continue;
      out.set(teamRoundKey(team.key, round.index), test(round.truth[team.key]));
    }
  }
  return out;
}
