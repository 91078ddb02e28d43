import fc from 'fast-check';
import { icc1, icc2, oneWayAnova } from './icc';
import type { Moments } from './summary';

function momentsOf(scores: readonly number[]): Moments {
  return {
    n: scores.length,
    sum: scores.reduce((a, b) => a + b, 0),
    sumSquares: scores.reduce((a, b) => a + b * b, 0),
  };
}

describe('oneWayAnova', () => {
  it('matches a hand-computed example with unequal team sizes', () => {
    // Teams [2, 4], [3, 5, 7], [6, 8, 9, 9]: grand mean 53/9.
    // SSB = 2(3 − 53/9)² + 3(5 − 53/9)² + 4(8 − 53/9)² = 2×(26/9)² + 3×(8/9)² + 4×(19/9)²
    //     = (1352 + 192 + 1444)/81 = 2988/81; MSB = SSB / 2 = 1494/81.
    // SSW = 2 + 8 + 6 = 16 over 9 − 3 = 6 df: MSW = 8/3. k̄ = 9/3 = 3.
    const a = oneWayAnova([momentsOf([2, 4]), momentsOf([3, 5, 7]), momentsOf([6, 8, 9, 9])])!;
    expect(a.N).toBe(9);
    expect(a.groups).toBe(3);
    expect(a.meanGroupSize).toBe(3);
    expect(a.msBetween).toBeCloseTo(1494 / 81, 12);
    expect(a.msWithin).toBeCloseTo(8 / 3, 12);
    const msb = 1494 / 81;
    const msw = 8 / 3;
    expect(icc1(a)).toBeCloseTo((msb - msw) / (msb + 2 * msw), 12);
    expect(icc2(a)).toBeCloseTo((msb - msw) / msb, 12);
  });

  it('gives R the same answer for [[1,2,3],[4,5,6],[7,8,9]]', () => {
    // summary(aov(score ~ grp)): MSB = 54/2 = 27, MSW = 6/6 = 1, k̄ = 3.
    // multilevel::ICC1 = (27 − 1)/(27 + 2 × 1) = 26/29; ICC2 = (27 − 1)/27 = 26/27.
    const a = oneWayAnova([momentsOf([1, 2, 3]), momentsOf([4, 5, 6]), momentsOf([7, 8, 9])])!;
    expect(a.msBetween).toBeCloseTo(27, 12);
    expect(a.msWithin).toBeCloseTo(1, 12);
    expect(icc1(a)).toBeCloseTo(26 / 29, 12); // 0.896551724
    expect(icc2(a)).toBeCloseTo(26 / 27, 12); // 0.962962963
  });

  it('ignores teams without respondents, which R never sees', () => {
    const withEmpty = oneWayAnova([momentsOf([1, 2, 3]), momentsOf([]), momentsOf([4, 5, 6])])!;
    const without = oneWayAnova([momentsOf([1, 2, 3]), momentsOf([4, 5, 6])])!;
    expect(withEmpty).toEqual(without);
    expect(without.meanGroupSize).toBe(3);
  });

  it('is unknown with one team or only one person per team', () => {
    expect(oneWayAnova([momentsOf([1, 2, 3])])).toBeNull();
    expect(oneWayAnova([momentsOf([1]), momentsOf([4])])).toBeNull();
    expect(oneWayAnova([])).toBeNull();
    expect(icc1(null)).toBeNull();
    expect(icc2(null)).toBeNull();
  });

  it('returns a negative ICC as R does when teams differ less than people do', () => {
    const a = oneWayAnova([momentsOf([1, 5]), momentsOf([1, 5])])!;
    expect(a.msBetween).toBe(0);
    expect(icc1(a)).toBe(-1 / 1); // (0 − 8)/(0 + 1 × 8)
    expect(icc2(a)).toBeNull(); // MSB = 0
  });

  it('has no ICC when nobody differs at all', () => {
    const a = oneWayAnova([momentsOf([3, 3]), momentsOf([3, 3])])!;
    expect(icc1(a)).toBeNull();
    expect(icc2(a)).toBeNull();
  });

  it('agrees with the textbook sums of squares over raw scores', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 15 }), {
          minLength: 2,
          maxLength: 12,
        }),
        (teams) => {
          const all = teams.flat();
          const grand = all.reduce((a, b) => a + b, 0) / all.length;
          let ssb = 0;
          let ssw = 0;
          for (const t of teams) {
            const m = t.reduce((a, b) => a + b, 0) / t.length;
            ssb += t.length * (m - grand) ** 2;
            ssw += t.reduce((a, b) => a + (b - m) ** 2, 0);
          }
          const a = oneWayAnova(teams.map(momentsOf))!;
          expect(a.msBetween).toBeCloseTo(ssb / (teams.length - 1), 9);
          expect(a.msWithin).toBeCloseTo(ssw / (all.length - teams.length), 9);
          expect(a.meanGroupSize).toBeCloseTo(all.length / teams.length, 12);
        },
      ),
    );
  });
});
