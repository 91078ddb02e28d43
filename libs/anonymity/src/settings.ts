/**
 * An organisation's anonymity thresholds (domain.md section 4). Every decision in this library
 * reads them from here, so the floors below cannot be bypassed by a caller with its own numbers.
 */
export interface AnonymitySettings {
  /** k: the fewest respondents a shown aggregate, or any difference of shown aggregates, may hold. */
  minGroupSize: number;
  /** The fewest comments a shown comment pool, or any difference of shown pools, may hold. */
  minCommentGroup: number;
}

export const DEFAULT_MIN_GROUP_SIZE = 5;
export const DEFAULT_MIN_COMMENT_GROUP = 10;
/** Below three, two colleagues who compare their own answers learn the third person's. */
export const MIN_GROUP_SIZE_FLOOR = 3;

export const DEFAULT_ANONYMITY_SETTINGS: Readonly<AnonymitySettings> = Object.freeze({
  minGroupSize: DEFAULT_MIN_GROUP_SIZE,
  minCommentGroup: DEFAULT_MIN_COMMENT_GROUP,
});

export interface SettingsProblem {
  field: string;
  message: string;
}

export type SettingsResult =
  { ok: true; value: AnonymitySettings } | { ok: false; problems: SettingsProblem[] };

/**
 * Reads the anonymity keys of an organisation's settings JSON; other keys belong to other
 * features and are ignored. A missing key takes its default, but the comment minimum's default
 * rises with k, so an organisation that only raised k does not end up with a comment minimum
 * below it. A value that would weaken the promise is a problem, never silently clamped, so the
 * person who typed it learns it did not take effect.
 */
export function anonymitySettings(raw: unknown): SettingsResult {
  if (raw === undefined || raw === null)
    return { ok: true, value: { ...DEFAULT_ANONYMITY_SETTINGS } };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [{ field: 'settings', message: 'must be an object' }] };
  }
  const record = raw as Record<string, unknown>;
  const problems: SettingsProblem[] = [];

  const k = readWholeNumber(record, 'minGroupSize', problems);
  if (k !== undefined && k < MIN_GROUP_SIZE_FLOOR) {
    problems.push({ field: 'minGroupSize', message: `must be at least ${MIN_GROUP_SIZE_FLOOR}` });
  }
  const minGroupSize = k ?? DEFAULT_MIN_GROUP_SIZE;

  const comments = readWholeNumber(record, 'minCommentGroup', problems);
  if (comments !== undefined && comments < minGroupSize) {
    problems.push({
      field: 'minCommentGroup',
      message: `must be at least minGroupSize (${minGroupSize})`,
    });
  }
  const minCommentGroup = comments ?? Math.max(DEFAULT_MIN_COMMENT_GROUP, minGroupSize);

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { minGroupSize, minCommentGroup } };
}

/**
 * For readers that must not fail (a report page, an export): never weaker than what the
 * organisation asked for, nor than the defaults where what it asked for is unusable. Falling back
 * to plain defaults would be wrong: an organisation with k = 8 and a mistyped comment minimum
 * would silently drop to k = 5.
 */
export function anonymitySettingsOrDefault(raw: unknown): AnonymitySettings {
  const result = anonymitySettings(raw);
  if (result.ok) return result.value;
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
  const minGroupSize = strictest(record, 'minGroupSize', DEFAULT_MIN_GROUP_SIZE, result.problems);
  const minCommentGroup = Math.max(
    minGroupSize,
    strictest(record, 'minCommentGroup', DEFAULT_MIN_COMMENT_GROUP, result.problems),
  );
  return { minGroupSize, minCommentGroup };
}

/**
 * The one reader of an organisation's anonymity settings: every k-dependent decision (the
 * aggregation gate, reports, exports, notifications, the promise a pulse form makes, when a
 * round may close) takes its numbers from here, so no two readers can disagree about where the
 * settings live or what an unusable value means. Takes the organisation's whole settings JSON;
 * the settings page stores them under `anonymity`, and nothing else is read.
 */
export function organisationAnonymity(organisationSettings: unknown): AnonymitySettings {
  const record =
    typeof organisationSettings === 'object' &&
    organisationSettings !== null &&
    !Array.isArray(organisationSettings)
      ? (organisationSettings as Record<string, unknown>)
      : {};
  return anonymitySettingsOrDefault(
    Object.hasOwn(record, 'anonymity') ? record.anonymity : undefined,
  );
}

/**
 * Guards the decision functions against hand-built settings: a NaN k would make every
 * `count < k` comparison false and show everything.
 */
export function assertAnonymitySettings(settings: AnonymitySettings): void {
  const { minGroupSize, minCommentGroup } = settings;
  if (!Number.isSafeInteger(minGroupSize) || minGroupSize < MIN_GROUP_SIZE_FLOOR) {
    throw new RangeError(
      `minGroupSize must be a whole number ≥ ${MIN_GROUP_SIZE_FLOOR}, got ${minGroupSize}`,
    );
  }
  if (!Number.isSafeInteger(minCommentGroup) || minCommentGroup < minGroupSize) {
    throw new RangeError(
      `minCommentGroup must be a whole number ≥ minGroupSize (${minGroupSize}), got ${minCommentGroup}`,
    );
  }
}

function readWholeNumber(
  record: Record<string, unknown>,
  field: keyof AnonymitySettings,
  problems: SettingsProblem[],
): number | undefined {
  if (!Object.hasOwn(record, field)) return undefined;
  const value = record[field];
  // typeof rules out "7" and true, which loose checks would coerce into valid-looking numbers.
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    problems.push({ field, message: 'must be a whole number' });
    return undefined;
  }
  return value;
}

/** The field's own value where it is valid; otherwise the stricter of the default and its intent. */
function strictest(
  record: object,
  field: keyof AnonymitySettings,
  fallback: number,
  problems: SettingsProblem[],
): number {
  const value: unknown = Object.hasOwn(record, field)
    ? (record as Record<string, unknown>)[field]
    : undefined;
  const usable = typeof value === 'number' && Number.isSafeInteger(value);
  if (usable && !problems.some((p) => p.field === field)) return value;
  const intent = typeof value === 'number' && Number.isFinite(value) ? Math.ceil(value) : 0;
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(fallback, intent));
}
