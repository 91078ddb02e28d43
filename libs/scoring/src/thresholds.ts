/**
 * Every threshold of the indicator and flag rules (domain.md §3), in one place. Each is a default
 * an organisation may override in its settings; values on the 1..5 scale are compared after the
 * team's scores are converted to it, so one set of numbers serves 0..4 and 1..7 instruments too.
 */
export interface FlagThresholds {
  quadrant: { midpoint: number };
  /** C ≥ controlAtLeast and A ≤ autonomyAtMost */
  micromanagement: { controlAtLeast: number; autonomyAtMost: number };
  /** A ≥ autonomyAtLeast and (S ≤ supportAtMost or L ≤ alignmentAtMost) */
  abandonment: { autonomyAtLeast: number; supportAtMost: number; alignmentAtMost: number };
  /** P ≤ safetyAtMost */
  lowSafety: { safetyAtMost: number };
  /**
   * rwg(j) < agreementBelow on decision_rights, leader_support or over_control. Confirmed when
   * that holds on at least `confirmDimensions` of them, each with `confirmMinRespondents` or more.
   */
  splitTeam: { agreementBelow: number; confirmDimensions: number; confirmMinRespondents: number };
  /** drop > max(minDrop, seMultiple × SE of the difference), or `fallsInARow` falls in a row */
  declining: { minDrop: number; seMultiple: number; fallsInARow: number };
  /** leader self-view vs team score, in scale points on 1..5 */
  perceptionGap: { gapAtLeast: number };
  /** response rate (0..1) below this */
  lowParticipation: { responseRateBelow: number };
}

/**
 * The level of every interval a flag is confirmed against. Not an organisation setting: the
 * team intervals are computed upstream at this level, and a flag must not quietly use another.
 */
export const CONFIRMATION_CONFIDENCE = 0.9;

/**
 * Means are ratios of integers, and moving them between scales adds rounding: a team whose mean
 * is exactly 3.5 can arrive as 3.4999999999999996. Within this distance a value counts as on the
 * threshold, so the model's inclusive rules (≥, ≤) include it and its strict ones (<, >) do not.
 */
export const THRESHOLD_TOLERANCE = 1e-9;

/** value ≥ threshold, inclusive as the model writes it. */
export function reaches(value: number, threshold: number): boolean {
  return value >= threshold - THRESHOLD_TOLERANCE;
}

/** value ≤ threshold, inclusive. */
export function staysWithin(value: number, threshold: number): boolean {
  return value <= threshold + THRESHOLD_TOLERANCE;
}

/** value > threshold, clearly beyond it. */
export function exceeds(value: number, threshold: number): boolean {
  return value > threshold + THRESHOLD_TOLERANCE;
}

/** value < threshold, clearly below it. */
export function fallsShort(value: number, threshold: number): boolean {
  return value < threshold - THRESHOLD_TOLERANCE;
}

export const DEFAULT_FLAG_THRESHOLDS: Readonly<FlagThresholds> = deepFreeze({
  quadrant: { midpoint: 3.5 },
  micromanagement: { controlAtLeast: 3.5, autonomyAtMost: 3.0 },
  abandonment: { autonomyAtLeast: 3.5, supportAtMost: 3.0, alignmentAtMost: 3.0 },
  lowSafety: { safetyAtMost: 3.0 },
  splitTeam: { agreementBelow: 0.5, confirmDimensions: 2, confirmMinRespondents: 5 },
  declining: { minDrop: 0.3, seMultiple: 2, fallsInARow: 3 },
  perceptionGap: { gapAtLeast: 1.0 },
  lowParticipation: { responseRateBelow: 0.5 },
});

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) {
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner as object);
  }
  return Object.freeze(value);
}

/** What a setting may hold; anything outside would make its rule never or always fire. */
export interface ThresholdRange {
  min: number;
  max: number;
  /** min itself is not allowed */
  aboveMin?: boolean;
  integer?: boolean;
}

const ON_SCALE: ThresholdRange = { min: 1, max: 5 };
const SHARE: ThresholdRange = { min: 0, max: 1 };

type Ranges = {
  readonly [G in keyof FlagThresholds]: Readonly<Record<keyof FlagThresholds[G], ThresholdRange>>;
};

/** The range of every threshold, for the validation below and for forms that explain it. */
export const FLAG_THRESHOLD_RANGES: Ranges = {
  quadrant: { midpoint: ON_SCALE },
  micromanagement: { controlAtLeast: ON_SCALE, autonomyAtMost: ON_SCALE },
  abandonment: { autonomyAtLeast: ON_SCALE, supportAtMost: ON_SCALE, alignmentAtMost: ON_SCALE },
  lowSafety: { safetyAtMost: ON_SCALE },
  splitTeam: {
    agreementBelow: SHARE,
    confirmDimensions: { min: 1, max: 3, integer: true },
    confirmMinRespondents: { min: 2, max: 1000, integer: true },
  },
  declining: {
    minDrop: { min: 0, max: 4 },
    seMultiple: { min: 0, max: 10 },
    // One fall "in a row" would be any fall at all; more than a few years of rounds is no rule.
    fallsInARow: { min: 2, max: 52, integer: true },
  },
  perceptionGap: { gapAtLeast: { min: 0, max: 4, aboveMin: true } },
  lowParticipation: { responseRateBelow: SHARE },
};

/** Same shape as `FieldProblem` in @trellis/errors, so a list can go straight into `invalid()`. */
export interface SettingProblem {
  field: string;
  message: string;
}

export type ThresholdsReading =
  { ok: true; value: FlagThresholds } | { ok: false; problems: SettingProblem[] };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a number from 1 to 5": what a threshold may hold, in the words its problems use. */
export function thresholdRangeText(range: ThresholdRange): string {
  const kind = range.integer ? 'a whole number' : 'a number';
  return range.aboveMin
    ? `${kind} above ${range.min} and at most ${range.max}`
    : `${kind} from ${range.min} to ${range.max}`;
}

function fits(value: number, range: ThresholdRange): boolean {
  if (range.integer && !Number.isInteger(value)) return false;
  if (range.aboveMin ? value <= range.min : value < range.min) return false;
  return value <= range.max;
}

/**
 * An organisation's thresholds: its overrides (conventionally `settings.flags`) over the
 * defaults. Missing groups and keys keep their defaults; unknown keys, wrong types and values out
 * of range are all reported, each naming the setting as `${at}.group.key`, so a typo is caught
 * instead of silently leaving the default in force.
 */
export function flagThresholds(raw: unknown, at = 'flags'): ThresholdsReading {
  if (raw === undefined || raw === null)
    return { ok: true, value: structuredClone(DEFAULT_FLAG_THRESHOLDS) };
  if (!isPlainObject(raw))
    return { ok: false, problems: [{ field: at, message: 'must be an object' }] };
  const problems: SettingProblem[] = [];
  const value = structuredClone(DEFAULT_FLAG_THRESHOLDS) as FlagThresholds;
  // Walk the ranges through a string-keyed view: the keys come from RANGES, so every write lands
  // on a numeric field that exists in FlagThresholds.
  const ranges = FLAG_THRESHOLD_RANGES as unknown as Record<string, Record<string, ThresholdRange>>;
  const target = value as unknown as Record<string, Record<string, number>>;
  for (const [group, overrides] of Object.entries(raw)) {
    const groupRanges = Object.hasOwn(ranges, group) ? ranges[group] : undefined;
    if (groupRanges === undefined) {
      problems.push({
        field: `${at}.${group}`,
        message: `is not a setting (known: ${Object.keys(ranges).join(', ')})`,
      });
      continue;
    }
    if (overrides === undefined || overrides === null) continue;
    if (!isPlainObject(overrides)) {
      problems.push({ field: `${at}.${group}`, message: 'must be an object' });
      continue;
    }
    for (const [key, setting] of Object.entries(overrides)) {
      const field = `${at}.${group}.${key}`;
      const range = Object.hasOwn(groupRanges, key) ? groupRanges[key] : undefined;
      if (range === undefined) {
        problems.push({
          field,
          message: `is not a setting (known: ${Object.keys(groupRanges).join(', ')})`,
        });
      } else if (setting === undefined || setting === null) {
        continue;
      } else if (
        typeof setting !== 'number' ||
        !Number.isFinite(setting) ||
        !fits(setting, range)
      ) {
        problems.push({ field, message: `must be ${thresholdRangeText(range)}` });
      } else {
        target[group][key] = setting;
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
