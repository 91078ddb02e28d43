import fc from 'fast-check';
import {
  FLAG_CODES,
  evaluateFlags,
  type DimensionResult,
  type Flag,
  type FlagCode,
  type FlagInput,
} from './flags';
import type { DimensionEstimate } from './indices';
import type { ResponseScale } from './scale';
import { DEFAULT_FLAG_THRESHOLDS, type FlagThresholds } from './thresholds';

const FIVE: ResponseScale = { min: 1, max: 5 };

/** A dimension result with a 90 % interval of ± half around the mean. */
function dim(
  mean: number,
  { half = 0.2, n = 10, rwgJ = 0.8 }: { half?: number; n?: number; rwgJ?: number | null } = {},
): DimensionResult {
  return { n, mean, se: half / 1.8331, ciLow: mean - half, ciHigh: mean + half, rwgJ };
}

/** A copy of `record` without `keys`: a custom instrument lacking those dimensions. */
function without<T>(record: Record<string, T>, ...keys: string[]): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)));
}

const unscored: DimensionResult = {
  n: 0,
  mean: null,
  se: null,
  ciLow: null,
  ciHigh: null,
  rwgJ: null,
};

/** A healthy team on the built-in pulse: aligned autonomy, nothing to flag. */
function healthy(): Record<string, DimensionResult> {
  return {
    psych_safety: dim(4.1),
    purpose_clarity: dim(4.0),
    decision_rights: dim(4.0),
    alignment: dim(3.9),
    leader_support: dim(4.1),
    over_control: dim(2.0),
  };
}

function input(
  dimensions: Record<string, DimensionResult>,
  more: Partial<FlagInput> = {},
): FlagInput {
  return { scale: FIVE, dimensions, previous: [], leaderSelf: null, responseRate: 0.8, ...more };
}

function only(code: FlagCode, i: FlagInput, t?: FlagThresholds): Flag | undefined {
  return evaluateFlags(i, t).find((f) => f.code === code);
}

describe('evaluateFlags', () => {
  it('raises nothing for a healthy team', () => {
    expect(evaluateFlags(input(healthy()))).toEqual([]);
  });

  it('exports every code once, in the order flags come back', () => {
    expect(new Set(FLAG_CODES).size).toBe(7);
    const everything = evaluateFlags(
      input(
        {
          ...healthy(),
          decision_rights: dim(2.5, { rwgJ: 0.2 }),
          over_control: dim(4.0, { rwgJ: 0.2 }),
          psych_safety: dim(2.0),
        },
        {
          previous: [{ psych_safety: dim(4.0) }],
          leaderSelf: { decision_rights: 4.8 },
          responseRate: 0.2,
        },
      ),
    ).map((f) => f.code);
    expect(everything).toEqual(
      FLAG_CODES.filter((c) => c !== 'abandonment'), // A is low, so no abandonment
    );
  });
});

describe('micromanagement: C ≥ 3.5 and A ≤ 3.0', () => {
  it('is confirmed when both intervals are on the rule’s side, with the model’s actions', () => {
    const f = only(
      'micromanagement',
      input({ ...healthy(), over_control: dim(3.8), decision_rights: dim(2.5) }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.actions).toEqual([
      'State the purpose and the guardrails, not the steps.',
      'Delegate a named decision, with its boundaries, to the team.',
      'Review outcomes, not methods.',
    ]);
    expect(f.evidence).toMatchObject({
      control: 3.8,
      controlCiLow: 3.6,
      autonomy: 2.5,
      autonomyCiHigh: 2.7,
      controlAtLeast: 3.5,
      autonomyAtMost: 3,
    });
    expect(f.explanation).toMatch(
      /^Your team sees clear purpose but little room to decide \(Decision rights 2\.50 of 5\) and close control \(Over-control 3\.80 of 5\)/,
    );
    expect(f.explanation).not.toMatch(/watch whether it holds/);
  });

  it('is watch when an interval crosses the threshold', () => {
    const f = only(
      'micromanagement',
      input({ ...healthy(), over_control: dim(3.6, { half: 0.4 }), decision_rights: dim(2.5) }),
    )!;
    expect(f.level).toBe('watch');
    expect(f.explanation).toMatch(/watch whether it holds next round/);
  });

  it('fires on the thresholds themselves and not just inside them', () => {
    expect(
      only(
        'micromanagement',
        input({ ...healthy(), over_control: dim(3.5), decision_rights: dim(3.0) }),
      )?.level,
    ).toBe('watch');
    expect(
      only(
        'micromanagement',
        input({ ...healthy(), over_control: dim(3.49), decision_rights: dim(2) }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'micromanagement',
        input({ ...healthy(), over_control: dim(4), decision_rights: dim(3.01) }),
      ),
    ).toBeUndefined();
  });

  it('counts a mean on the threshold as on it, rounding noise included', () => {
    // A sum divided by n, or a scale conversion, can land a hair off a mean that is exactly 3.5.
    const i = input({
      over_control: dim(3.4999999999999996),
      decision_rights: dim(3.0000000000000004),
    });
    expect(only('micromanagement', i)).toBeDefined();
    expect(
      only('micromanagement', input({ over_control: dim(3.4999), decision_rights: dim(3) })),
    ).toBeUndefined();
  });

  it('does not speak of purpose the team does not report', () => {
    const f = only(
      'micromanagement',
      input({
        ...healthy(),
        over_control: dim(3.8),
        decision_rights: dim(2.5),
        alignment: dim(2.5),
        purpose_clarity: dim(2.5),
      }),
    )!;
    expect(f.explanation).toMatch(/^Your team feels closely controlled/);
  });

  it('stays watch for a single respondent (no interval)', () => {
    const one = (m: number): DimensionResult => ({
      n: 1,
      mean: m,
      se: null,
      ciLow: null,
      ciHigh: null,
      rwgJ: null,
    });
    expect(
      only(
        'micromanagement',
        input({ ...healthy(), over_control: one(5), decision_rights: one(1) }),
      )?.level,
    ).toBe('watch');
  });

  it('is skipped when over-control or decision rights is missing or unscored', () => {
    const noControl = without(healthy(), 'over_control');
    expect(
      only('micromanagement', input({ ...noControl, decision_rights: dim(1.5) })),
    ).toBeUndefined();
    expect(
      only(
        'micromanagement',
        input({ ...healthy(), over_control: dim(4.5), decision_rights: unscored }),
      ),
    ).toBeUndefined();
  });

  it('reads a 0..4 and a 1..7 instrument on the 1..5 thresholds', () => {
    // 0..4: C = 2.7 → 3.7, A = 1.8 → 2.8
    const zeroToFour = input(
      { over_control: dim(2.7), decision_rights: dim(1.8) },
      { scale: { min: 0, max: 4 } },
    );
    expect(only('micromanagement', zeroToFour)?.evidence).toMatchObject({
      control: 3.7,
      autonomy: 2.8,
    });
    // 1..7: C = 5 → 3.67, A = 3.5 → 2.67; A = 4.1 → 3.07 is not low enough
    const oneToSeven = { min: 1, max: 7 };
    expect(
      only(
        'micromanagement',
        input({ over_control: dim(5), decision_rights: dim(3.5) }, { scale: oneToSeven }),
      )?.evidence,
    ).toMatchObject({ control: 3.67, autonomy: 2.67 });
    expect(
      only(
        'micromanagement',
        input({ over_control: dim(5), decision_rights: dim(4.1) }, { scale: oneToSeven }),
      ),
    ).toBeUndefined();
  });

  it('follows an organisation’s thresholds', () => {
    const i = input({ ...healthy(), over_control: dim(3.3), decision_rights: dim(2.5) });
    expect(only('micromanagement', i)).toBeUndefined();
    const t = {
      ...DEFAULT_FLAG_THRESHOLDS,
      micromanagement: { controlAtLeast: 3.2, autonomyAtMost: 3 },
    };
    expect(only('micromanagement', i, t)).toBeDefined();
  });
});

describe('abandonment: A ≥ 3.5 and (S ≤ 3.0 or L ≤ 3.0)', () => {
  it('is confirmed on the support branch, with the model’s actions', () => {
    const f = only(
      'abandonment',
      input({ ...healthy(), decision_rights: dim(4.2), leader_support: dim(2.6) }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.evidence).toMatchObject({
      because: 'support',
      autonomy: 4.2,
      support: 2.6,
      supportCiHigh: 2.8,
    });
    expect(f.actions).toEqual([
      'Vet the plan together before work starts.',
      'Agree on expectations, timelines and outcomes.',
      'Set a check-in whose purpose is clearing roadblocks, not control.',
    ]);
    expect(f.explanation).toMatch(
      /^Your team has room to decide \(Decision rights 4\.20 of 5\) but misses a leader who vets plans and clears roadblocks \(Leader engagement 2\.60 of 5\)/,
    );
  });

  it('fires on the alignment branch, L being the mean of purpose and alignment', () => {
    const f = only(
      'abandonment',
      input({
        ...healthy(),
        decision_rights: dim(4.2),
        purpose_clarity: dim(3.0),
        alignment: dim(2.5),
      }),
    )!;
    // L is its own figure, named as an index, with the two dimension means the page shows.
    expect(f.evidence).toMatchObject({
      because: 'alignment',
      alignmentIndex: 2.75,
      alignmentIndexCiHigh: 2.95,
      'purpose_clarity.mean': 3,
      'alignment.mean': 2.5,
    });
    expect(f.explanation).toContain(
      'shared direction (alignment index (Clarity of purpose and Alignment averaged) 2.75 of 5)',
    );
    expect(f.level).toBe('confirmed'); // L's upper end (3.2 + 2.7) / 2 = 2.95 ≤ 3.0
    // Purpose alone at 3.2 keeps L's upper end above 3.0: the averaged interval decides.
    const g = only(
      'abandonment',
      input({
        ...healthy(),
        decision_rights: dim(4.2),
        purpose_clarity: dim(3.2),
        alignment: dim(2.6),
      }),
    )!;
    expect(g.level).toBe('watch');
  });

  it('names both branches when both fired', () => {
    const f = only(
      'abandonment',
      input({
        ...healthy(),
        decision_rights: dim(4.2),
        leader_support: dim(2.5),
        purpose_clarity: dim(2.5),
        alignment: dim(2.5),
      }),
    )!;
    expect(f.evidence.because).toBe('support and alignment');
  });

  it('is confirmed by the branch that fired even if the other fired only on its point', () => {
    const f = only(
      'abandonment',
      input({
        ...healthy(),
        decision_rights: dim(4.2),
        leader_support: dim(2.9, { half: 0.5 }),
        purpose_clarity: dim(2.5),
        alignment: dim(2.5),
      }),
    )!;
    expect(f.level).toBe('confirmed');
  });

  it('is watch when A or the fired branch has an interval across the line', () => {
    expect(
      only(
        'abandonment',
        input({ ...healthy(), decision_rights: dim(3.7, { half: 0.4 }), leader_support: dim(2.5) }),
      )?.level,
    ).toBe('watch');
    expect(
      only(
        'abandonment',
        input({ ...healthy(), decision_rights: dim(4.2), leader_support: dim(2.9, { half: 0.3 }) }),
      )?.level,
    ).toBe('watch');
  });

  it('needs A ≥ 3.5 and a low S or L', () => {
    expect(
      only(
        'abandonment',
        input({ ...healthy(), decision_rights: dim(3.49), leader_support: dim(2) }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'abandonment',
        input({ ...healthy(), decision_rights: dim(4.5), leader_support: dim(3.01) }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'abandonment',
        input({ ...healthy(), decision_rights: dim(3.5), leader_support: dim(3.0) }),
      )?.level,
    ).toBe('watch');
  });

  it('uses the branches it has and is skipped without A or without both branches', () => {
    const noSupport = without(healthy(), 'leader_support');
    expect(
      only(
        'abandonment',
        input({
          ...noSupport,
          decision_rights: dim(4.2),
          alignment: dim(2.4),
          purpose_clarity: dim(2.4),
        }),
      ),
    ).toBeDefined();
    const neither = without(healthy(), 'purpose_clarity', 'alignment', 'leader_support');
    expect(only('abandonment', input({ ...neither, decision_rights: dim(4.8) }))).toBeUndefined();
    const noAutonomy = without(healthy(), 'decision_rights');
    expect(only('abandonment', input({ ...noAutonomy, leader_support: dim(1.5) }))).toBeUndefined();
  });
});

describe('low_safety: P ≤ 3.0', () => {
  it('is confirmed, watch or absent by P and its interval', () => {
    expect(only('low_safety', input({ ...healthy(), psych_safety: dim(2.6) }))?.level).toBe(
      'confirmed',
    );
    expect(
      only('low_safety', input({ ...healthy(), psych_safety: dim(3.0, { half: 0.3 }) }))?.level,
    ).toBe('watch');
    expect(only('low_safety', input({ ...healthy(), psych_safety: dim(3.1) }))).toBeUndefined();
    expect(only('low_safety', input({ ...healthy(), psych_safety: unscored }))).toBeUndefined();
  });

  it('carries its evidence and two or three actions', () => {
    const f = only('low_safety', input({ ...healthy(), psych_safety: dim(2.6) }))!;
    expect(f.evidence).toEqual({
      safety: 2.6,
      safetyCiLow: 2.4,
      safetyCiHigh: 2.8,
      safetyAtMost: 3,
    });
    expect(f.actions.length).toBeGreaterThanOrEqual(2);
    expect(f.actions.length).toBeLessThanOrEqual(3);
  });
});

describe('split_team: rwg(j) < .50 on decision rights, leader support or over-control', () => {
  it('is confirmed when two leadership dimensions disagree with enough people', () => {
    const f = only(
      'split_team',
      input({
        ...healthy(),
        decision_rights: dim(3, { rwgJ: 0.31 }),
        over_control: dim(3, { rwgJ: 0.2 }),
      }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.evidence).toMatchObject({
      dimensions: 'decision_rights, over_control',
      'decision_rights.rwgJ': 0.31,
      'decision_rights.n': 10,
      agreementBelow: 0.5,
    });
  });

  it('is watch on one dimension, or with too few people', () => {
    expect(
      only('split_team', input({ ...healthy(), leader_support: dim(3, { rwgJ: 0.4 }) }))?.level,
    ).toBe('watch');
    expect(
      only(
        'split_team',
        input({
          ...healthy(),
          decision_rights: dim(3, { rwgJ: 0.3, n: 4 }),
          over_control: dim(3, { rwgJ: 0.2 }),
        }),
      )?.level,
    ).toBe('watch');
  });

  it('needs rwg(j) strictly below the threshold, on a leadership dimension, when known', () => {
    expect(
      only('split_team', input({ ...healthy(), decision_rights: dim(3, { rwgJ: 0.5 }) })),
    ).toBeUndefined();
    expect(
      only('split_team', input({ ...healthy(), psych_safety: dim(3.5, { rwgJ: 0.1 }) })),
    ).toBeUndefined();
    expect(
      only('split_team', input({ ...healthy(), decision_rights: dim(3, { rwgJ: null }) })),
    ).toBeUndefined();
  });
});

describe('declining', () => {
  const now = (over: Record<string, DimensionResult>) => ({ ...healthy(), ...over });

  it('needs an earlier round', () => {
    expect(only('declining', input(now({ psych_safety: dim(2.5) })))).toBeUndefined();
  });

  it('is confirmed when the drop beats the threshold even at the low end of its interval', () => {
    // drop 0.6, SE of the difference 0.155 (threshold 0.31); Welch t(18) × 0.155 = 0.27 → 0.33 > 0.3
    const f = only(
      'declining',
      input(now({ psych_safety: dim(3.4) }), { previous: [{ psych_safety: dim(4.0) }] }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.evidence).toMatchObject({
      dimensions: 'psych_safety',
      'psych_safety.current': 3.4,
      'psych_safety.previous': 4,
      'psych_safety.worsening': 0.6,
      'psych_safety.threshold': 0.31,
      'psych_safety.level': 'confirmed',
    });
    expect(f.explanation).toMatch(
      /^Psychological safety fell from 4\.00 of 5 to 3\.40 of 5 since the latest round shown for this team/,
    );
    expect(f.evidence).not.toHaveProperty('comparedWith');
  });

  it('names the round it compares with, which need not be the round just before', () => {
    // The team's round of 7 December was hidden (too few answered), so nothing of it is in
    // `previous`: the decline is measured against 2 November and must say so.
    const f = only(
      'declining',
      input(now({ psych_safety: dim(3.4) }), {
        previous: [{ psych_safety: dim(4.0) }, { psych_safety: dim(4.1) }],
        previousPeriodStarts: ['2026-11-02', '2026-10-05'],
      }),
    )!;
    expect(f.explanation).toMatch(
      /^Psychological safety fell from 4\.00 of 5 to 3\.40 of 5 since the round of 2 November 2026:/,
    );
    expect(f.explanation).not.toMatch(/last round/);
    expect(f.evidence).toMatchObject({ comparedWith: '2026-11-02', 'psych_safety.previous': 4 });
  });

  it('falls back to the vaguer words when the date is not one', () => {
    const f = only(
      'declining',
      input(now({ psych_safety: dim(3.4) }), {
        previous: [{ psych_safety: dim(4.0) }],
        previousPeriodStarts: ['2026-13-02'],
      }),
    )!;
    expect(f.explanation).toMatch(/since the latest round shown for this team/);
    expect(f.evidence).not.toHaveProperty('comparedWith');
  });

  it('is watch when the drop passes the threshold but its interval reaches below 0.3', () => {
    expect(
      only(
        'declining',
        input(now({ psych_safety: dim(3.6) }), { previous: [{ psych_safety: dim(4.0) }] }),
      )?.level,
    ).toBe('watch');
  });

  it('needs more than max(0.3, 2 × SE of the difference)', () => {
    // SE of the difference ≈ 0.31 with wide intervals: a 0.5 drop is within noise.
    const wide = (m: number) => dim(m, { half: 0.4 });
    expect(
      only(
        'declining',
        input(now({ psych_safety: wide(3.5) }), { previous: [{ psych_safety: wide(4.0) }] }),
      ),
    ).toBeUndefined();
    // Tight intervals: 0.3 itself is not more than 0.3.
    const tight = (m: number) => dim(m, { half: 0.01 });
    expect(
      only(
        'declining',
        input(now({ psych_safety: tight(3.7) }), { previous: [{ psych_safety: tight(4.0) }] }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'declining',
        input(now({ psych_safety: tight(3.69) }), { previous: [{ psych_safety: tight(4.0) }] }),
      ),
    ).toBeDefined();
  });

  it('fires on three falls in a row, confirmed only when the whole fall is clear', () => {
    const slow = input(now({ alignment: dim(3.6) }), {
      previous: [{ alignment: dim(3.7) }, { alignment: dim(3.8) }, { alignment: dim(3.9) }],
    });
    const f = only('declining', slow)!;
    expect(f.level).toBe('watch');
    expect(f.evidence['alignment.fallsInARow']).toBe(3);
    expect(f.explanation).toMatch(/worse 3 rounds in a row/);
    const steep = input(now({ alignment: dim(3.0, { half: 0.05 }) }), {
      previous: [
        { alignment: dim(3.2) },
        { alignment: dim(3.5) },
        { alignment: dim(4.0, { half: 0.05 }) },
      ],
    });
    expect(only('declining', steep)?.level).toBe('confirmed');
  });

  it('does not count two falls, or a run broken by a rise', () => {
    expect(
      only(
        'declining',
        input(now({ alignment: dim(3.6) }), {
          previous: [{ alignment: dim(3.7) }, { alignment: dim(3.8) }],
        }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'declining',
        input(now({ alignment: dim(3.6) }), {
          previous: [{ alignment: dim(3.7) }, { alignment: dim(3.65) }, { alignment: dim(3.8) }],
        }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'declining',
        input(now({ alignment: dim(3.6) }), {
          previous: [{ alignment: dim(3.7) }, {}, { alignment: dim(3.8) }],
        }),
      ),
    ).toBeUndefined();
  });

  it('reads a rise in over-control as the decline, and a fall in it as good news', () => {
    const worse = only(
      'declining',
      input(now({ over_control: dim(2.8) }), { previous: [{ over_control: dim(2.0) }] }),
    )!;
    expect(worse.evidence['over_control.worsening']).toBe(0.8);
    expect(worse.explanation).toMatch(/^Over-control rose from 2\.00 of 5 to 2\.80 of 5/);
    expect(
      only(
        'declining',
        input(now({ over_control: dim(2.0) }), { previous: [{ over_control: dim(2.8) }] }),
      ),
    ).toBeUndefined();
  });

  it('reports every fallen dimension in one flag, the biggest first', () => {
    const f = only(
      'declining',
      input(now({ psych_safety: dim(3.4), alignment: dim(2.9) }), {
        previous: [{ psych_safety: dim(4.0), alignment: dim(3.9) }],
      }),
    )!;
    expect(f.evidence.dimensions).toBe('alignment, psych_safety');
    expect(f.explanation).toMatch(/\(also: Psychological safety\)/);
  });

  it('skips dimensions the earlier round lacks, or whose spread is unknown', () => {
    expect(
      only(
        'declining',
        input(now({ psych_safety: dim(2.0) }), { previous: [{ alignment: dim(3.9) }] }),
      ),
    ).toBeUndefined();
    const single: DimensionEstimate = { n: 1, mean: 4.5, se: null, ciLow: null, ciHigh: null };
    expect(
      only(
        'declining',
        input(now({ psych_safety: dim(2.0) }), { previous: [{ psych_safety: single }] }),
      ),
    ).toBeUndefined();
  });

  it('converts a 1..7 instrument before comparing with 0.3', () => {
    const seven = { min: 1, max: 7 };
    const tight = (m: number) => dim(m, { half: 0.01 });
    // 0.9 on 1..7 is 0.6 on 1..5; 0.4 is 0.27
    expect(
      only(
        'declining',
        input(
          { psych_safety: tight(5.1) },
          { scale: seven, previous: [{ psych_safety: tight(6.0) }] },
        ),
      ),
    ).toBeDefined();
    expect(
      only(
        'declining',
        input(
          { psych_safety: tight(5.6) },
          { scale: seven, previous: [{ psych_safety: tight(6.0) }] },
        ),
      ),
    ).toBeUndefined();
  });
});

describe('perception_gap', () => {
  it('is confirmed when the leader’s view clears even the team’s upper bound by 1.0', () => {
    const f = only(
      'perception_gap',
      input({ ...healthy(), decision_rights: dim(3.5) }, { leaderSelf: { decision_rights: 4.8 } }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.evidence).toMatchObject({
      dimensions: 'decision_rights',
      'decision_rights.self': 4.8,
      'decision_rights.team': 3.5,
      'decision_rights.gap': 1.3,
      gapAtLeast: 1,
    });
    expect(f.explanation).toMatch(
      /^You rate Decision rights at 4\.80 of 5, your team at 3\.50 of 5/,
    );
  });

  it('is watch when the point gap is 1.0 but the interval comes closer', () => {
    expect(
      only(
        'perception_gap',
        input(
          { ...healthy(), decision_rights: dim(3.5, { half: 0.3 }) },
          { leaderSelf: { decision_rights: 4.5 } },
        ),
      )?.level,
    ).toBe('watch');
  });

  it('looks the other way for over-control', () => {
    const f = only(
      'perception_gap',
      input({ ...healthy(), over_control: dim(2.8) }, { leaderSelf: { over_control: 1.5 } }),
    )!;
    expect(f.level).toBe('confirmed');
    expect(f.explanation).toMatch(/feels more control than you believe/);
    expect(
      only(
        'perception_gap',
        input({ ...healthy(), over_control: dim(2.0) }, { leaderSelf: { over_control: 3.5 } }),
      ),
    ).toBeUndefined();
  });

  it('ignores a modest leader and the dimensions outside the rule', () => {
    expect(
      only(
        'perception_gap',
        input(healthy(), { leaderSelf: { decision_rights: 2.0, leader_support: 2.0 } }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'perception_gap',
        input({ ...healthy(), psych_safety: dim(2.5) }, { leaderSelf: { psych_safety: 5 } }),
      ),
    ).toBeUndefined();
    expect(
      only(
        'perception_gap',
        input({ ...healthy(), leader_support: dim(2.5) }, { leaderSelf: null }),
      ),
    ).toBeUndefined();
  });

  it('compares on 1..5 whatever the instrument', () => {
    // 0..4: self 4 → 5, team 2.8 → 3.8
    const f = only(
      'perception_gap',
      input(
        { leader_support: dim(2.8) },
        { scale: { min: 0, max: 4 }, leaderSelf: { leader_support: 4 } },
      ),
    )!;
    expect(f.evidence['leader_support.gap']).toBe(1.2);
  });
});

describe('low_participation: response rate < 50 %', () => {
  it('is confirmed at once: a response rate is a count, not an estimate', () => {
    const f = only('low_participation', input(healthy(), { responseRate: 0.4 }))!;
    expect(f.level).toBe('confirmed');
    expect(f.evidence).toEqual({ responseRate: 0.4, responseRateBelow: 0.5 });
    expect(f.explanation).toBe(
      'Only 40 % of the team answered: read every number for this team with care.',
    );
    expect(only('low_participation', input(healthy(), { responseRate: 0.5 }))).toBeUndefined();
    expect(only('low_participation', input(healthy(), { responseRate: null }))).toBeUndefined();
  });
});

// --- properties ------------------------------------------------------------------------------

const PULSE = [
  'psych_safety',
  'purpose_clarity',
  'decision_rights',
  'alignment',
  'leader_support',
  'over_control',
];
const SCALES: ResponseScale[] = [
  { min: 1, max: 5 },
  { min: 0, max: 4 },
  { min: 1, max: 7 },
];

/** Estimates on `scale`; intervals usually around the mean, sometimes anywhere. */
function estimate(scale: ResponseScale): fc.Arbitrary<DimensionResult> {
  const value = fc.double({ min: scale.min, max: scale.max, noNaN: true });
  return fc.oneof(
    fc.constant(unscored),
    fc
      .record({ mean: value, rwgJ: fc.option(fc.double({ min: 0, max: 1, noNaN: true })) })
      .map(({ mean, rwgJ }) => ({
        n: 1,
        mean,
        se: null,
        ciLow: null,
        ciHigh: null,
        rwgJ,
      })),
    fc
      .record({
        n: fc.integer({ min: 2, max: 20 }),
        mean: value,
        below: fc.double({ min: 0, max: 2, noNaN: true }),
        above: fc.double({ min: 0, max: 2, noNaN: true }),
        se: fc.double({ min: 0, max: 1, noNaN: true }),
        rwgJ: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
        stray: fc.boolean(),
        strayLow: value,
        strayHigh: value,
      })
      .map((r) => ({
        n: r.n,
        mean: r.mean,
        se: r.se,
        ciLow: r.stray ? r.strayLow : r.mean - r.below,
        ciHigh: r.stray ? r.strayHigh : r.mean + r.above,
        rwgJ: r.rwgJ,
      })),
  );
}

/** Some of the pulse's dimensions, each with a value drawn from `value`. */
function some<T>(value: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc
    .tuple(
      fc.subarray(PULSE),
      fc.array(value, { minLength: PULSE.length, maxLength: PULSE.length }),
    )
    .map(([keys, values]) => Object.fromEntries(keys.map((k, j) => [k, values[j]])));
}

const anyInput: fc.Arbitrary<FlagInput> = fc.constantFrom(...SCALES).chain((scale) =>
  fc.record({
    scale: fc.constant(scale),
    dimensions: some(estimate(scale)),
    previous: fc.array(some(estimate(scale)), { maxLength: 4 }),
    leaderSelf: fc.option(some(fc.double({ min: scale.min, max: scale.max, noNaN: true }))),
    responseRate: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
  }),
);

/** Values within this of a threshold count as on it (rounding noise). */
const TOL = 1e-9;

/** The same arithmetic as the model, written out independently of the implementation. */
function onFive(i: FlagInput, d: DimensionEstimate | undefined): number | null {
  if (d === undefined || d.mean === null) return null;
  return 1 + ((d.mean - i.scale.min) / (i.scale.max - i.scale.min)) * 4;
}
function has(r: Record<string, DimensionEstimate>, key: string): boolean {
  return Object.hasOwn(r, key) && r[key].mean !== null;
}

function pointRuleHolds(f: Flag, i: FlagInput): boolean {
  const v = (key: string) => onFive(i, i.dimensions[key]);
  const A = v('decision_rights');
  const S = v('leader_support');
  const C = v('over_control');
  const P = v('psych_safety');
  const pc = v('purpose_clarity');
  const al = v('alignment');
  const L = pc === null || al === null ? null : (pc + al) / 2;
  const listed = String(f.evidence.dimensions ?? '').split(', ');
  switch (f.code) {
    case 'micromanagement':
      return C !== null && A !== null && C >= 3.5 - TOL && A <= 3.0 + TOL;
    case 'abandonment':
      return (
        A !== null &&
        A >= 3.5 - TOL &&
        ((S !== null && S <= 3.0 + TOL) || (L !== null && L <= 3.0 + TOL))
      );
    case 'low_safety':
      return P !== null && P <= 3.0 + TOL;
    case 'split_team':
      return listed.every(
        (k) =>
          ['decision_rights', 'leader_support', 'over_control'].includes(k) &&
          (i.dimensions[k].rwgJ ?? 1) < 0.5 - TOL,
      );
    case 'declining':
      return listed.every((k) => {
        const sign = k === 'over_control' ? -1 : 1;
        const now = i.dimensions[k];
        const then = i.previous[0][k];
        const drop = sign * (onFive(i, then)! - onFive(i, now)!);
        const scaleSe = (se: number | null) =>
          se === null ? null : (se * 4) / (i.scale.max - i.scale.min);
        const a = scaleSe(now.se);
        const b = scaleSe(then.se);
        const byDrop = a !== null && b !== null && drop > Math.max(0.3, 2 * Math.hypot(a, b)) + TOL;
        const series = [
          now,
          ...i.previous.slice(0, 3).map((r) => (Object.hasOwn(r, k) ? r[k] : undefined)),
        ].map((d) => onFive(i, d));
        const known = series.filter((x): x is number => x !== null);
        const byRun =
          known.length === 4 && [0, 1, 2].every((j) => sign * (known[j + 1] - known[j]) > TOL);
        return byDrop || byRun;
      });
    case 'perception_gap':
      return listed.every((k) => {
        const self = onFive(i, {
          n: 1,
          mean: i.leaderSelf![k],
          se: null,
          ciLow: null,
          ciHigh: null,
        })!;
        const team = v(k)!;
        return k === 'over_control' ? team - self >= 1 - TOL : self - team >= 1 - TOL;
      });
    case 'low_participation':
      return i.responseRate !== null && i.responseRate < 0.5 - TOL;
  }
}

function requiredDimensionsPresent(f: Flag, i: FlagInput): boolean {
  const d = i.dimensions;
  const listed = String(f.evidence.dimensions ?? '').split(', ');
  switch (f.code) {
    case 'micromanagement':
      return has(d, 'over_control') && has(d, 'decision_rights');
    case 'abandonment':
      return (
        has(d, 'decision_rights') &&
        (has(d, 'leader_support') || (has(d, 'purpose_clarity') && has(d, 'alignment')))
      );
    case 'low_safety':
      return has(d, 'psych_safety');
    case 'split_team':
      return listed.every((k) => Object.hasOwn(d, k) && d[k].rwgJ !== null);
    case 'declining':
      return i.previous.length > 0 && listed.every((k) => has(d, k) && has(i.previous[0], k));
    case 'perception_gap':
      return (
        i.leaderSelf !== null && listed.every((k) => has(d, k) && Object.hasOwn(i.leaderSelf!, k))
      );
    case 'low_participation':
      return i.responseRate !== null;
  }
}

describe('evaluateFlags properties', () => {
  it('never raises a rule whose dimensions are missing', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        for (const f of evaluateFlags(i))
          expect([f.code, requiredDimensionsPresent(f, i)]).toEqual([f.code, true]);
      }),
      { numRuns: 500 },
    );
  });

  it('raises a flag, watch or confirmed, only when its point rule holds', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        for (const f of evaluateFlags(i))
          expect([f.code, f.level, pointRuleHolds(f, i)]).toEqual([f.code, f.level, true]);
      }),
      { numRuns: 500 },
    );
  });

  it('raises every rule whose point estimates meet it (built-in rules on complete data)', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        const codes = new Set(evaluateFlags(i).map((f) => f.code));
        const fake = (code: FlagCode): Flag => ({
          code,
          level: 'watch',
          evidence: {},
          explanation: '',
          actions: [],
        });
        for (const code of [
          'micromanagement',
          'abandonment',
          'low_safety',
          'low_participation',
        ] as const) {
          if (pointRuleHolds(fake(code), i)) expect([code, codes.has(code)]).toEqual([code, true]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives every flag a level, evidence, a sentence and two or three actions', () => {
    fc.assert(
      fc.property(anyInput, (i) => {
        const flags = evaluateFlags(i);
        expect(new Set(flags.map((f) => f.code)).size).toBe(flags.length);
        for (const f of flags) {
          expect(FLAG_CODES).toContain(f.code);
          expect(['watch', 'confirmed']).toContain(f.level);
          expect(f.explanation).toMatch(/^[A-Z].*\.$/);
          expect(f.actions.length).toBeGreaterThanOrEqual(2);
          expect(f.actions.length).toBeLessThanOrEqual(3);
          for (const value of Object.values(f.evidence)) {
            if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never loses confirmation when the same means come with narrower intervals', () => {
    fc.assert(
      fc.property(anyInput, fc.double({ min: 0, max: 1, noNaN: true }), (i, shrink) => {
        const narrower = (d: DimensionResult): DimensionResult =>
          d.mean === null ||
          d.ciLow === null ||
          d.ciHigh === null ||
          d.ciLow > d.mean ||
          d.ciHigh < d.mean
            ? d
            : {
                ...d,
                ciLow: d.mean - (d.mean - d.ciLow) * shrink,
                ciHigh: d.mean + (d.ciHigh - d.mean) * shrink,
              };
        const tight = {
          ...i,
          dimensions: Object.fromEntries(
            Object.entries(i.dimensions).map(([k, d]) => [k, narrower(d)]),
          ),
        };
        const before = evaluateFlags(i);
        const after = new Map(evaluateFlags(tight).map((f) => [f.code, f.level]));
        for (const f of before) {
          if (f.level === 'confirmed' && f.code !== 'declining')
            expect([f.code, after.get(f.code)]).toEqual([f.code, 'confirmed']);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('flag wording', () => {
  it('names dimensions with the instrument’s own names, and quotes figures as the page prints them', () => {
    const f = only(
      'abandonment',
      input({ ...healthy(), decision_rights: dim(4.2), leader_support: dim(2.6) }),
    )!;
    expect(f.explanation).toContain('(Leader engagement 2.60 of 5)');
    expect(f.explanation).not.toMatch(/leader support/i);
    const named = evaluateFlags({
      ...input({ ...healthy(), decision_rights: dim(4.2), leader_support: dim(2.6) }),
      names: { leader_support: 'Backing from the lead', decision_rights: 'Say over the work' },
    }).find((x) => x.code === 'abandonment')!;
    expect(named.explanation).toContain('(Say over the work 4.20 of 5)');
    expect(named.explanation).toContain('(Backing from the lead 2.60 of 5)');
  });

  it('stores evidence rounded so that printing it gives the digits of the unrounded mean', () => {
    const f = only('low_safety', input({ ...healthy(), psych_safety: dim(2.675) }))!;
    expect((f.evidence.safety as number).toFixed(2)).toBe((2.675).toFixed(2));
    expect(f.explanation).toContain(`(${(2.675).toFixed(2)} of 5)`);
  });

  it('reads the direction the caller passes: a custom higher-is-worse dimension declines upwards', () => {
    const now = { ...healthy(), workload: dim(3.9) };
    const before = { ...healthy(), workload: dim(2.9) };
    const base = input(now, { previous: [before] });
    expect(evaluateFlags(base).find((x) => x.code === 'declining')).toBeUndefined();
    const turned = evaluateFlags({ ...base, higherIsWorse: new Set(['over_control', 'workload']) });
    expect(turned.find((x) => x.code === 'declining')?.evidence.dimensions).toBe('workload');
  });
});
