import { dimensionOnFivePoint, teamIndices, type DimensionEstimate } from './indices';

const est = (mean: number, half = 0.3, n = 8, se = 0.15): DimensionEstimate => ({
  n,
  mean,
  se,
  ciLow: mean - half,
  ciHigh: mean + half,
});

describe('dimensionOnFivePoint', () => {
  it('moves a 0..4 estimate up by one, interval and all', () => {
    expect(dimensionOnFivePoint(est(2.5), { min: 0, max: 4 })).toEqual({
      value: 3.5,
      se: 0.15,
      ciLow: 3.2,
      ciHigh: 3.8,
      n: 8,
    });
  });

  it('squeezes a 1..7 estimate, including its spread', () => {
    const v = dimensionOnFivePoint(est(5.5, 0.6, 8, 0.3), { min: 1, max: 7 })!;
    expect(v.value).toBeCloseTo(4, 14);
    expect(v.ciLow).toBeCloseTo(3.6, 14);
    expect(v.ciHigh).toBeCloseTo(4.4, 14);
    expect(v.se).toBeCloseTo(0.2, 14);
  });

  it('is null without a score, and keeps unknown intervals unknown', () => {
    expect(dimensionOnFivePoint(undefined, { min: 1, max: 5 })).toBeNull();
    expect(
      dimensionOnFivePoint(
        { n: 0, mean: null, se: null, ciLow: null, ciHigh: null },
        { min: 1, max: 5 },
      ),
    ).toBeNull();
    expect(
      dimensionOnFivePoint(
        { n: 1, mean: 4, se: null, ciLow: null, ciHigh: null },
        { min: 1, max: 5 },
      ),
    ).toEqual({ value: 4, se: null, ciLow: null, ciHigh: null, n: 1 });
  });
});

describe('teamIndices', () => {
  const pulse = {
    decision_rights: est(4.2),
    purpose_clarity: est(3.0, 0.2, 9, 0.1),
    alignment: est(4.0, 0.4, 7, 0.2),
    leader_support: est(2.8),
    over_control: est(2.0),
    psych_safety: est(3.9),
  };

  it('names the indices after the model: A, L, S, C, P', () => {
    const ix = teamIndices(pulse, { min: 1, max: 5 });
    expect(ix.autonomy?.value).toBe(4.2);
    expect(ix.support?.value).toBe(2.8);
    expect(ix.control?.value).toBe(2.0);
    expect(ix.safety?.value).toBe(3.9);
  });

  it('averages purpose and alignment into L, with the ends of the intervals averaged', () => {
    const L = teamIndices(pulse, { min: 1, max: 5 }).alignment!;
    expect(L.value).toBeCloseTo(3.5, 14);
    expect(L.ciLow).toBeCloseTo((2.8 + 3.6) / 2, 14);
    expect(L.ciHigh).toBeCloseTo((3.2 + 4.4) / 2, 14);
    expect(L.se).toBeCloseTo(0.15, 14);
    expect(L.n).toBe(7);
    // Never narrower than the independent-errors interval, which is what makes it conservative.
    const independentHalf = Math.hypot(0.2, 0.4) / 2;
    expect((L.ciHigh! - L.ciLow!) / 2).toBeGreaterThanOrEqual(independentHalf);
  });

  it('has no L when one of its dimensions is missing or unscored', () => {
    const withoutAlignment: Record<string, DimensionEstimate> = { ...pulse };
    delete withoutAlignment.alignment;
    expect(teamIndices(withoutAlignment, { min: 1, max: 5 }).alignment).toBeNull();
    const unscored = {
      ...pulse,
      alignment: { n: 0, mean: null, se: null, ciLow: null, ciHigh: null },
    };
    expect(teamIndices(unscored, { min: 1, max: 5 }).alignment).toBeNull();
  });

  it('has an L without an interval when one part has none', () => {
    const single = { ...pulse, alignment: { n: 1, mean: 4, se: null, ciLow: null, ciHigh: null } };
    const L = teamIndices(single, { min: 1, max: 5 }).alignment!;
    expect(L.value).toBe(3.5);
    expect(L.ciLow).toBeNull();
    expect(L.ciHigh).toBeNull();
  });

  it('does not mistake inherited properties for dimensions', () => {
    const ix = teamIndices(
      { constructor: est(3) },
      {
        min: 1,
        max: 5,
      },
    );
    expect(Object.values(ix).every((v) => v === null)).toBe(true);
  });
});
