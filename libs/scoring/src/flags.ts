import {
  dimensionOnFivePoint,
  ownEntry,
  teamIndices,
  type DimensionEstimate,
  type IndexValue,
  type TeamIndices,
} from './indices';
import { HIGHER_IS_WORSE_BY_KEY } from './favourable';
import { figure, roundedFigure } from './figure';
import { roundOf } from './round-name';
import { scaleFor, toFivePoint, type DimensionScales, type ResponseScale } from './scale';
import { tQuantile } from './student-t';
import {
  CONFIRMATION_CONFIDENCE,
  DEFAULT_FLAG_THRESHOLDS,
  exceeds,
  fallsShort,
  reaches,
  staysWithin,
  type FlagThresholds,
} from './thresholds';

/** The scale a dimension's values are on: its own if the input gives one, else the instrument's. */
function scaleOf(input: Pick<FlagInput, 'scale' | 'dimensionScales'>, key: string): ResponseScale {
  return scaleFor(input.dimensionScales ?? input.scale, key);
}

/**
 * The flags of domain.md §3. A flag is `watch` when the point estimates meet its rule and
 * `confirmed` when every mean in the rule has its 90 % interval on the rule's side of the
 * threshold (for an "or", a branch that fired). Where a rule has no interval, the choice is
 * written beside the rule below. The results table keys flags by (round, team, code), so each
 * code appears at most once per team; rules that look at several dimensions report all of them
 * in one flag's evidence.
 *
 * Callers evaluate only teams whose results may be shown (domain.md §4); nothing here knows k.
 */
export const FLAG_CODES = [
  'micromanagement',
  'abandonment',
  'low_safety',
  'split_team',
  'declining',
  'perception_gap',
  'low_participation',
] as const;

export type FlagCode = (typeof FLAG_CODES)[number];

/** Each flag's headline, in the words the pages and notifications use. */
export const FLAG_TITLES: Record<FlagCode, string> = {
  micromanagement: 'Micromanagement risk: purpose without room',
  abandonment: 'Autonomy as abandonment: freedom without alignment or support',
  low_safety: 'Low psychological safety',
  split_team: 'A split team: members experience different leaderships',
  declining: 'Something is getting worse',
  perception_gap: 'You see your leadership differently from your team',
  low_participation: 'Few people answered',
};

export type FlagLevel = 'watch' | 'confirmed';

export interface Flag {
  code: FlagCode;
  level: FlagLevel;
  /** The numbers behind the flag, on the 1..5 scale, rounded for reading. */
  evidence: Record<string, number | string | null>;
  explanation: string;
  actions: string[];
}

export interface DimensionResult extends DimensionEstimate {
  rwgJ: number | null;
}

export interface FlagInput {
  /** The instrument's response scale; all dimension values below are on it… */
  scale: ResponseScale;
  /**
   * …unless their dimension has a scale of its own (a 0..4 dimension beside 1..5 ones): then
   * this gives each dimension's scale, and its values are on that one.
   */
  dimensionScales?: DimensionScales;
  dimensions: Readonly<Record<string, DimensionResult>>;
  /**
   * The same team's earlier rounds, most recent first, on the same scale. Rounds of an
   * instrument with another scale are not comparable and must not be passed.
   */
  previous: readonly Readonly<Record<string, DimensionEstimate>>[];
  /**
   * When each entry of `previous` started (YYYY-MM-DD), in the same order. Only rounds shown for
   * the team are in `previous`, so its first entry is not always the round just before: a
   * decline names the round it is measured against rather than saying "the last round".
   */
  previousPeriodStarts?: readonly string[];
  /** The leader's self-view means per dimension, on the same scale; null when not answered. */
  leaderSelf: Readonly<Record<string, number>> | null;
  /** Respondents / invited, 0..1; null when unknown (e.g. imported history). */
  responseRate: number | null;
  /**
   * The instrument's dimension names, so a flag says "Leader engagement" where the charts do.
   * Missing keys fall back to the built-in instrument's names.
   */
  names?: Readonly<Record<string, string>>;
  /** Dimensions where higher is worse, as the instrument declares them; over_control by default. */
  higherIsWorse?: ReadonlySet<string>;
}

/** The dimensions split_team looks at: the ones about how the team is led. */
export const SPLIT_TEAM_DIMENSIONS = ['decision_rights', 'leader_support', 'over_control'] as const;

/**
 * Where higher is worse when the caller passes no direction. "Declining" means getting worse,
 * so for these a rise is the decline; a fall in over-control is good news and raises nothing.
 * Callers pass the instrument's own declaration (`FlagInput.higherIsWorse`).
 */
export const HIGHER_IS_WORSE: ReadonlySet<string> = HIGHER_IS_WORSE_BY_KEY;

/**
 * Perception gaps are checked where a leader's belief about themselves matters most. `worse`
 * says which way a gap hurts: a leader who sees more delegation or support than the team, or
 * less control than the team feels.
 */
const PERCEPTION_DIMENSIONS: readonly { key: string; worse: 'self_higher' | 'self_lower' }[] = [
  { key: 'decision_rights', worse: 'self_higher' },
  { key: 'leader_support', worse: 'self_higher' },
  { key: 'over_control', worse: 'self_lower' },
];

/** The built-in instrument's names, as its charts show them; an instrument's own names win. */
const DIMENSION_NAMES: Readonly<Record<string, string>> = {
  psych_safety: 'Psychological safety',
  purpose_clarity: 'Clarity of purpose',
  decision_rights: 'Decision rights',
  alignment: 'Alignment',
  leader_support: 'Leader engagement',
  over_control: 'Over-control',
};

/** The model's actions for abandonment and micromanagement (domain.md §3), verbatim in substance. */
const ACTIONS: Readonly<Record<FlagCode, readonly string[]>> = {
  micromanagement: [
    'State the purpose and the guardrails, not the steps.',
    'Delegate a named decision, with its boundaries, to the team.',
    'Review outcomes, not methods.',
  ],
  abandonment: [
    'Vet the plan together before work starts.',
    'Agree on expectations, timelines and outcomes.',
    'Set a check-in whose purpose is clearing roadblocks, not control.',
  ],
  low_safety: [
    'Say in the next team meeting that mistakes and open questions are expected, and how you want to hear about them.',
    'Admit one of your own mistakes first, and thank the next person who raises a problem before discussing it.',
    'Ask for dissent explicitly before decisions ("What would make this fail?").',
  ],
  split_team: [
    'Read the distribution of answers, not the mean: some may feel micromanaged while others feel left alone.',
    'Ask each person one-to-one how much room and how much support they get from you.',
    'Agree with the whole team on one way of delegating and checking in that applies to everyone.',
  ],
  declining: [
    'Share the change with the team and ask what happened since the last round, before drawing conclusions.',
    'Agree on one thing to try before the next round and check whether it helped.',
  ],
  perception_gap: [
    'Show the team your self-view next to their result and ask where they see it differently.',
    'Ask for one recent example where the team experienced it differently from you, and listen before explaining.',
  ],
  low_participation: [
    'Read every number for this team with care: the people who did not answer may see things differently.',
    'Tell the team what changed after the last round, and ask what would make answering worth their time.',
  ],
};

// The figures a page prints beside the flag: stored as the page will print them, so the flag's
// words and the table agree to the last digit.
const round2 = roundedFigure;
const round3 = (x: number): number => Math.round(x * 1000) / 1000;
const maybe = (x: number | null, round = round2): number | null => (x === null ? null : round(x));
/** A value as a leader reads it in a sentence: the same digits as the page's tables. */
const said = (x: number): string => `${figure(x)} of 5`;
type Names = (dimension: string) => string;
function namesOf(input: Pick<FlagInput, 'names'>): Names {
  return (dimension) =>
    (input.names ? ownEntry(input.names, dimension) : undefined) ??
    ownEntry(DIMENSION_NAMES, dimension) ??
    dimension.replace(/_/g, ' ');
}
/** L in words: the quadrant's alignment axis is not the Alignment dimension, and says so. */
const ALIGNMENT_INDEX_WORDS = (name: Names) =>
  `alignment index (${name('purpose_clarity')} and ${name('alignment')} averaged)`;

const CAUTION =
  'The result is close to the line or rests on few answers, so watch whether it holds next round.';

function explained(sentence: string, level: FlagLevel): string {
  return level === 'confirmed' ? sentence : `${sentence} ${CAUTION}`;
}

interface Test {
  holds: boolean;
  confirmed: boolean;
}

/** value ≥ threshold; confirmed when the whole interval is. Confirmation implies the point test. */
function atLeast(index: IndexValue, threshold: number): Test {
  const holds = reaches(index.value, threshold);
  return { holds, confirmed: holds && index.ciLow !== null && reaches(index.ciLow, threshold) };
}

function atMost(index: IndexValue, threshold: number): Test {
  const holds = staysWithin(index.value, threshold);
  return {
    holds,
    confirmed: holds && index.ciHigh !== null && staysWithin(index.ciHigh, threshold),
  };
}

function withInterval(name: string, index: IndexValue | null): Record<string, number | null> {
  return {
    [name]: maybe(index?.value ?? null),
    [`${name}CiLow`]: maybe(index?.ciLow ?? null),
    [`${name}CiHigh`]: maybe(index?.ciHigh ?? null),
  };
}

/**
 * The dimension means behind L, on 1..5 as the flag's other figures: the page shows these two,
 * not L, so the evidence carries them for the reader to find L's parts.
 */
function alignmentParts(input: FlagInput): Record<string, number | null> {
  const part = (key: string) =>
    maybe(dimensionOnFivePoint(ownEntry(input.dimensions, key), input.scale)?.value ?? null);
  return { 'purpose_clarity.mean': part('purpose_clarity'), 'alignment.mean': part('alignment') };
}

function micromanagement(
  ix: TeamIndices,
  t: FlagThresholds,
  input: FlagInput,
  name: Names,
): Flag | null {
  const { control, autonomy, alignment } = ix;
  if (control === null || autonomy === null) return null;
  const c = atLeast(control, t.micromanagement.controlAtLeast);
  const a = atMost(autonomy, t.micromanagement.autonomyAtMost);
  if (!c.holds || !a.holds) return null;
  const level: FlagLevel = c.confirmed && a.confirmed ? 'confirmed' : 'watch';
  // The model's story is "purpose but not room"; say "purpose" only when the team reports it.
  const purposeful = alignment !== null && reaches(alignment.value, t.quadrant.midpoint);
  const room = `${name('decision_rights')} ${said(autonomy.value)}`;
  const held = `${name('over_control')} ${said(control.value)}`;
  const opening = purposeful
    ? `Your team sees clear purpose but little room to decide (${room}) and close control (${held})`
    : `Your team feels closely controlled (${held}) with little room to decide (${room})`;
  return {
    code: 'micromanagement',
    level,
    evidence: {
      ...withInterval('control', control),
      ...withInterval('autonomy', autonomy),
      alignmentIndex: maybe(alignment?.value ?? null),
      ...alignmentParts(input),
      controlAtLeast: t.micromanagement.controlAtLeast,
      autonomyAtMost: t.micromanagement.autonomyAtMost,
    },
    explanation: explained(`${opening}: control is crowding out ownership.`, level),
    actions: [...ACTIONS.micromanagement],
  };
}

/**
 * A ≥ 3.5 and (S ≤ 3 or L ≤ 3). A branch whose index is missing is skipped; the rule needs A and
 * at least one branch. Confirmed when A's interval and the interval of a branch that fired are
 * both on the rule's side.
 */
function abandonment(
  ix: TeamIndices,
  t: FlagThresholds,
  input: FlagInput,
  name: Names,
): Flag | null {
  const { autonomy, support, alignment } = ix;
  if (autonomy === null || (support === null && alignment === null)) return null;
  const a = atLeast(autonomy, t.abandonment.autonomyAtLeast);
  const s = support === null ? null : atMost(support, t.abandonment.supportAtMost);
  const l = alignment === null ? null : atMost(alignment, t.abandonment.alignmentAtMost);
  const supportFired = s?.holds ?? false;
  const alignmentFired = l?.holds ?? false;
  if (!a.holds || (!supportFired && !alignmentFired)) return null;
  const level: FlagLevel =
    a.confirmed && (s?.confirmed === true || l?.confirmed === true) ? 'confirmed' : 'watch';
  const missing: string[] = [];
  if (supportFired && support !== null)
    missing.push(
      `a leader who vets plans and clears roadblocks (${name('leader_support')} ${said(support.value)})`,
    );
  if (alignmentFired && alignment !== null)
    missing.push(`shared direction (${ALIGNMENT_INDEX_WORDS(name)} ${said(alignment.value)})`);
  const because = [supportFired ? 'support' : null, alignmentFired ? 'alignment' : null]
    .filter((x) => x !== null)
    .join(' and ');
  return {
    code: 'abandonment',
    level,
    evidence: {
      ...withInterval('autonomy', autonomy),
      ...withInterval('support', support),
      ...withInterval('alignmentIndex', alignment),
      ...alignmentParts(input),
      because,
      autonomyAtLeast: t.abandonment.autonomyAtLeast,
      supportAtMost: t.abandonment.supportAtMost,
      alignmentAtMost: t.abandonment.alignmentAtMost,
    },
    explanation: explained(
      `Your team has room to decide (${name('decision_rights')} ${said(autonomy.value)}) but misses ${missing.join(' and ')}: freedom without alignment or support feels like being left alone.`,
      level,
    ),
    actions: [...ACTIONS.abandonment],
  };
}

function lowSafety(ix: TeamIndices, t: FlagThresholds, name: Names): Flag | null {
  const { safety } = ix;
  if (safety === null) return null;
  const p = atMost(safety, t.lowSafety.safetyAtMost);
  if (!p.holds) return null;
  const level: FlagLevel = p.confirmed ? 'confirmed' : 'watch';
  return {
    code: 'low_safety',
    level,
    evidence: { ...withInterval('safety', safety), safetyAtMost: t.lowSafety.safetyAtMost },
    explanation: explained(
      `${name('psych_safety')} is low (${said(safety.value)}): people will not take risks, ask for help or admit mistakes, so the team stops learning.`,
      level,
    ),
    actions: [...ACTIONS.low_safety],
  };
}

/**
 * rwg(j) has no interval here, and one low value in a small team is often noise. Confirmed when
 * the team disagrees on at least `confirmDimensions` of the leadership dimensions (two by
 * default), each with at least `confirmMinRespondents` people: a team that lives different
 * leaderships shows it on more than one of them.
 */
function splitTeam(input: FlagInput, t: FlagThresholds, name: Names): Flag | null {
  const { agreementBelow, confirmDimensions, confirmMinRespondents } = t.splitTeam;
  const split = SPLIT_TEAM_DIMENSIONS.flatMap((key) => {
    const d = ownEntry(input.dimensions, key);
    return d !== undefined && d.rwgJ !== null && fallsShort(d.rwgJ, agreementBelow)
      ? [{ key, n: d.n, rwgJ: d.rwgJ }]
      : [];
  });
  if (split.length === 0) return null;
  const solid = split.filter((d) => d.n >= confirmMinRespondents).length;
  const level: FlagLevel = solid >= confirmDimensions ? 'confirmed' : 'watch';
  const evidence: Flag['evidence'] = {
    dimensions: split.map((d) => d.key).join(', '),
    agreementBelow,
  };
  for (const d of split) {
    evidence[`${d.key}.rwgJ`] = round2(d.rwgJ);
    evidence[`${d.key}.n`] = d.n;
  }
  return {
    code: 'split_team',
    level,
    evidence,
    explanation: explained(
      `Your team disagrees about ${split.map((d) => name(d.key)).join(' and ')}: members live different leaderships, so the average hides people who feel micromanaged and others who feel left alone.`,
      level,
    ),
    actions: [...ACTIONS.split_team],
  };
}

interface Decline {
  key: string;
  current: IndexValue;
  last: IndexValue;
  /** Worsening since the team's latest shown round, positive when worse. */
  drop: number;
  /** max(minDrop, seMultiple × SE of the difference); null when an SE is unknown. */
  threshold: number | null;
  fallsInARow: number;
  level: FlagLevel;
}

/**
 * The lower end of the two-sided interval for a worsening `a → b`, Welch's t for unequal
 * variances (the same level as the team intervals). Null when either SE is unknown.
 */
function lowerBoundOfWorsening(
  worsening: number,
  now: IndexValue,
  then: IndexValue,
): number | null {
  if (now.se === null || then.se === null || now.n < 2 || then.n < 2) return null;
  const a = now.se * now.se;
  const b = then.se * then.se;
  const total = a + b;
  if (total === 0) return worsening;
  // Welch–Satterthwaite df, written with shares of the total so tiny SEs cannot underflow to 0/0.
  const shareNow = a / total;
  const shareThen = b / total;
  const df = 1 / ((shareNow * shareNow) / (now.n - 1) + (shareThen * shareThen) / (then.n - 1));
  return worsening - tQuantile((1 + CONFIRMATION_CONFIDENCE) / 2, df) * Math.sqrt(total);
}

/**
 * One dimension's decline. Watch: it worsened since the team's latest shown round by more than
 * max(minDrop, seMultiple × SE of the difference) — treating the rounds as independent samples,
 * which overstates the SE when the same people answer and so errs towards silence — or it
 * worsened `fallsInARow` rounds in a row. Confirmed: in addition, the worsening it reports (since
 * the last round, or since the round before the run began) exceeds minDrop even at the low end
 * of its 90 % interval, so both "real" and "big enough to matter" hold.
 */
function decline(key: string, input: FlagInput, t: FlagThresholds): Decline | null {
  const { minDrop, seMultiple, fallsInARow } = t.declining;
  const current = dimensionOnFivePoint(ownEntry(input.dimensions, key), scaleOf(input, key));
  const history = input.previous.map((round) =>
    dimensionOnFivePoint(ownEntry(round, key), scaleOf(input, key)),
  );
  const last = history[0] ?? null;
  if (current === null || last === null) return null;
  const sign = (input.higherIsWorse ?? HIGHER_IS_WORSE).has(key) ? -1 : 1;
  const worsening = (now: IndexValue, then: IndexValue) => sign * (then.value - now.value);

  const drop = worsening(current, last);
  const seDiff = current.se === null || last.se === null ? null : Math.hypot(current.se, last.se);
  const threshold = seDiff === null ? null : Math.max(minDrop, seMultiple * seDiff);
  const dropFired = threshold !== null && exceeds(drop, threshold);

  let falls = 0;
  for (let i = 0, now = current; i < history.length; i++) {
    const then = history[i];
    if (then === null || !exceeds(worsening(now, then), 0)) break;
    falls++;
    now = then;
  }
  const runFired = falls >= fallsInARow;
  if (!dropFired && !runFired) return null;

  const confirmedAgainst = (then: IndexValue | null): boolean => {
    if (then === null) return false;
    const low = lowerBoundOfWorsening(worsening(current, then), current, then);
    return low !== null && exceeds(low, minDrop);
  };
  const confirmed =
    (dropFired && confirmedAgainst(last)) ||
    (runFired && confirmedAgainst(history[fallsInARow - 1]));
  return {
    key,
    current,
    last,
    drop,
    threshold,
    fallsInARow: falls,
    level: confirmed ? 'confirmed' : 'watch',
  };
}

function declining(input: FlagInput, t: FlagThresholds, name: Names): Flag | null {
  if (input.previous.length === 0) return null;
  const declines = Object.keys(input.dimensions)
    .map((key) => decline(key, input, t))
    .filter((d): d is Decline => d !== null)
    .sort((x, y) => y.drop - x.drop);
  if (declines.length === 0) return null;
  const level: FlagLevel = declines.some((d) => d.level === 'confirmed') ? 'confirmed' : 'watch';
  const evidence: Flag['evidence'] = {
    dimensions: declines.map((d) => d.key).join(', '),
    minDrop: t.declining.minDrop,
    fallsInARowAtLeast: t.declining.fallsInARow,
  };
  for (const d of declines) {
    evidence[`${d.key}.current`] = round2(d.current.value);
    evidence[`${d.key}.previous`] = round2(d.last.value);
    evidence[`${d.key}.worsening`] = round2(d.drop);
    evidence[`${d.key}.threshold`] = maybe(d.threshold);
    evidence[`${d.key}.fallsInARow`] = d.fallsInARow;
    evidence[`${d.key}.level`] = d.level;
  }
  const worst = declines[0];
  const moved = (input.higherIsWorse ?? HIGHER_IS_WORSE).has(worst.key) ? 'rose' : 'fell';
  // Every decline is measured against previous[0], the team's latest shown round.
  const comparedWith = input.previousPeriodStarts?.[0];
  const named = roundOf(comparedWith);
  if (named !== null && comparedWith !== undefined) evidence.comparedWith = comparedWith;
  const since = named ?? 'the latest round shown for this team';
  const run =
    worst.fallsInARow >= t.declining.fallsInARow
      ? `, worse ${worst.fallsInARow} rounds in a row`
      : '';
  const others =
    declines.length > 1
      ? ` (also: ${declines
          .slice(1)
          .map((d) => name(d.key))
          .join(', ')})`
      : '';
  return {
    code: 'declining',
    level,
    evidence,
    explanation: explained(
      `${capitalised(name(worst.key))} ${moved} from ${said(worst.last.value)} to ${said(worst.current.value)} since ${since}${run}${others}: something changed; ask the team before it hardens.`,
      level,
    ),
    actions: [...ACTIONS.declining],
  };
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The self-view is the leader's own answer, not a sample estimate, so the only interval in the
 * rule is the team's: confirmed when the gap is at least the threshold even from the near end of
 * the team's 90 % interval.
 */
function perceptionGap(input: FlagInput, t: FlagThresholds, name: Names): Flag | null {
  const selfView = input.leaderSelf;
  if (selfView === null) return null;
  const { gapAtLeast } = t.perceptionGap;
  const gaps = PERCEPTION_DIMENSIONS.flatMap(({ key, worse }) => {
    const team = dimensionOnFivePoint(ownEntry(input.dimensions, key), scaleOf(input, key));
    const raw = ownEntry(selfView, key);
    if (team === null || raw === undefined || !Number.isFinite(raw)) return [];
    const { min, max } = scaleOf(input, key);
    const self = toFivePoint(raw, min, max);
    const direction = worse === 'self_higher' ? 1 : -1;
    const gap = direction * (self - team.value);
    if (!reaches(gap, gapAtLeast)) return [];
    const nearEnd = worse === 'self_higher' ? team.ciHigh : team.ciLow;
    const confirmed = nearEnd !== null && reaches(direction * (self - nearEnd), gapAtLeast);
    return [{ key, worse, self, team, gap, confirmed }];
  });
  if (gaps.length === 0) return null;
  const level: FlagLevel = gaps.some((g) => g.confirmed) ? 'confirmed' : 'watch';
  const evidence: Flag['evidence'] = { dimensions: gaps.map((g) => g.key).join(', '), gapAtLeast };
  for (const g of gaps) {
    evidence[`${g.key}.self`] = round2(g.self);
    evidence[`${g.key}.team`] = round2(g.team.value);
    evidence[`${g.key}.teamCiLow`] = maybe(g.team.ciLow);
    evidence[`${g.key}.teamCiHigh`] = maybe(g.team.ciHigh);
    evidence[`${g.key}.gap`] = round2(g.gap);
  }
  const sentences = gaps.map((g) =>
    g.worse === 'self_higher'
      ? `you rate ${name(g.key)} at ${said(g.self)}, your team at ${said(g.team.value)}`
      : `you rate your ${name(g.key)} at ${said(g.self)}, your team feels ${said(g.team.value)}`,
  );
  const meaning = gaps.every((g) => g.worse === 'self_higher')
    ? 'your team does not experience the room and support you believe you give'
    : gaps.every((g) => g.worse === 'self_lower')
      ? 'your team feels more control than you believe you exercise'
      : 'your team experiences your leadership differently from how you see it';
  return {
    code: 'perception_gap',
    level,
    evidence,
    explanation: explained(`${capitalised(sentences.join('; '))}: ${meaning}.`, level),
    actions: [...ACTIONS.perception_gap],
  };
}

/**
 * The response rate is a count, not an estimate: there is no interval to wait for, so a rate
 * below the threshold is confirmed as soon as it is seen.
 */
function lowParticipation(input: FlagInput, t: FlagThresholds): Flag | null {
  const rate = input.responseRate;
  const { responseRateBelow } = t.lowParticipation;
  if (rate === null || !fallsShort(rate, responseRateBelow)) return null;
  return {
    code: 'low_participation',
    level: 'confirmed',
    evidence: { responseRate: round3(rate), responseRateBelow },
    explanation: `Only ${Math.round(rate * 100)} % of the team answered: read every number for this team with care.`,
    actions: [...ACTIONS.low_participation],
  };
}

/** Every flag whose rule the team meets, in FLAG_CODES order. */
export function evaluateFlags(
  input: FlagInput,
  thresholds: FlagThresholds = DEFAULT_FLAG_THRESHOLDS,
): Flag[] {
  const ix = teamIndices(input.dimensions, input.dimensionScales ?? input.scale);
  const name = namesOf(input);
  const flags = [
    micromanagement(ix, thresholds, input, name),
    abandonment(ix, thresholds, input, name),
    lowSafety(ix, thresholds, name),
    splitTeam(input, thresholds, name),
    declining(input, thresholds, name),
    perceptionGap(input, thresholds, name),
    lowParticipation(input, thresholds),
  ];
  return flags.filter((f): f is Flag => f !== null);
}
