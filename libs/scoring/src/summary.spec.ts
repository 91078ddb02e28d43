import fc from 'fast-check';
import {
  deviationSumOfSquares,
  integerSampleCovariance,
  integerSampleVariance,
  sampleVariance,
  summarize,
  type Moments,
} from './summary';

function momentsOf(scores: readonly number[]): Moments {
  return {
    n: scores.length,
    sum: scores.reduce((a, b) => a + b, 0),
    sumSquares: scores.reduce((a, b) => a + b * b, 0),
  };
}

/** Moments of n scores with the given mean and sample sd, as SQL would report them. */
function momentsWith(n: number, mean: number, sd: number): Moments {
  return { n, sum: n * mean, sumSquares: (n - 1) * sd * sd + n * mean * mean };
}

describe('summarize', () => {
  it('matches a hand-computed example', () => {
    // Scores 2, 3, 3, 4, 5: mean 3.4, deviations² 1.96 + .16 + .16 + .36 + 2.56 = 5.2, s² = 1.3,
    // se = √1.3/√5, t(0.95, 4) = 2.1318467863.
    const s = summarize({ n: 5, sum: 17, sumSquares: 63 });
    expect(s.n).toBe(5);
    expect(s.mean).toBeCloseTo(3.4, 12);
    expect(s.sd).toBeCloseTo(1.140175425099138, 12);
    expect(s.se).toBeCloseTo(0.5099019513592785, 12);
    expect(s.ciLow).toBeCloseTo(2.3129671636530347, 10);
    expect(s.ciHigh).toBeCloseTo(4.487032836346965, 10);
  });

  it('uses the confidence level it is given', () => {
    const s = summarize(momentsOf([2, 3, 3, 4, 5]), { confidence: 0.95 });
    expect(s.ciLow).toBeCloseTo(1.9842852230177277, 10);
    expect(s.ciHigh).toBeCloseTo(4.815714776982272, 10);
    expect(() => summarize(momentsOf([1, 2]), { confidence: 1 })).toThrow(RangeError);
    expect(() => summarize(momentsOf([1, 2]), { confidence: 0 })).toThrow(RangeError);
  });

  it('has nothing to say about nobody', () => {
    expect(summarize({ n: 0, sum: 0, sumSquares: 0 })).toEqual({
      n: 0,
      mean: null,
      sd: null,
      se: null,
      ciLow: null,
      ciHigh: null,
    });
  });

  it('gives one person a mean but no spread or interval', () => {
    expect(summarize(momentsOf([4]))).toEqual({
      n: 1,
      mean: 4,
      sd: null,
      se: null,
      ciLow: null,
      ciHigh: null,
    });
  });

  it('gives a team that answered alike zero spread and a zero-width interval', () => {
    const s = summarize(momentsOf([3, 3, 3, 3]));
    expect(s).toEqual({ n: 4, mean: 3, sd: 0, se: 0, ciLow: 3, ciHigh: 3 });
  });

  it('turns rounding below zero into zero spread', () => {
    // 7/3 cannot be represented exactly; sumSquares − sum²/n comes out as a hair off zero.
    const score = 7 / 3;
    const m = { n: 7, sum: score * 7, sumSquares: score * score * 7 * (1 - 1e-15) };
    expect(deviationSumOfSquares(m)).toBe(0);
    const s = summarize(m);
    expect(s.sd).toBe(0);
    expect(s.ciLow).toBe(s.mean);
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 500 }), fc.integer({ min: 1, max: 35 }), (n, k) => {
        const x = k / 7; // person scores are means of a few items
        const sum = Array.from({ length: n }, () => x).reduce((a, b) => a + b, 0);
        const sumSquares = Array.from({ length: n }, () => x * x).reduce((a, b) => a + b, 0);
        expect(summarize({ n, sum, sumSquares }).sd).toBe(0);
      }),
    );
  });

  it('agrees with the two-pass variance on real-looking data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 2, maxLength: 300 }),
        (answers) => {
          const mean = answers.reduce((a, b) => a + b, 0) / answers.length;
          const twoPass = answers.reduce((a, b) => a + (b - mean) ** 2, 0) / (answers.length - 1);
          expect(sampleVariance(momentsOf(answers))!).toBeCloseTo(twoPass, 10);
        },
      ),
    );
  });

  it('puts the mean inside its interval, and narrows it as n grows with the same sd', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0.01, max: 3, noNaN: true }),
        (n, extra, mean, sd) => {
          const small = summarize(momentsWith(n, mean, sd));
          const large = summarize(momentsWith(n + extra, mean, sd));
          for (const s of [small, large]) {
            expect(s.ciLow!).toBeLessThanOrEqual(s.mean!);
            expect(s.mean!).toBeLessThanOrEqual(s.ciHigh!);
          }
          expect(large.ciHigh! - large.ciLow!).toBeLessThan(small.ciHigh! - small.ciLow!);
        },
      ),
    );
  });

  it('rejects moments that cannot come from data', () => {
    expect(() => summarize({ n: -1, sum: 0, sumSquares: 0 })).toThrow(RangeError);
    expect(() => summarize({ n: 2.5, sum: 0, sumSquares: 0 })).toThrow(RangeError);
    expect(() => summarize({ n: 2, sum: Number.NaN, sumSquares: 0 })).toThrow(RangeError);
    expect(() => summarize({ n: 2, sum: 1, sumSquares: -1 })).toThrow(RangeError);
  });
});

describe('sampleVariance', () => {
  it('divides by n − 1 and is unknown below two values', () => {
    expect(sampleVariance(momentsOf([1, 2, 3, 4]))).toBeCloseTo(5 / 3, 14);
    expect(sampleVariance(momentsOf([4]))).toBeNull();
    expect(sampleVariance(momentsOf([]))).toBeNull();
  });
});

describe('integerSampleVariance', () => {
  it('is the exact variance of integers, correctly rounded', () => {
    expect(integerSampleVariance(momentsOf([1, 2, 3, 4]))).toBe(5 / 3);
    expect(integerSampleVariance(momentsOf([1, 2, 2]))).toBe(1 / 3);
    expect(integerSampleVariance(momentsOf([7, 7, 7]))).toBe(0);
    expect(integerSampleVariance(momentsOf([4]))).toBeNull();
    expect(integerSampleVariance(momentsOf([]))).toBeNull();
  });

  it('agrees with the floating-point variance on any integers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2 }), (xs) => {
        const exact = integerSampleVariance(momentsOf(xs))!;
        const approximate = sampleVariance(momentsOf(xs))!;
        expect(Math.abs(exact - approximate)).toBeLessThanOrEqual(1e-9 * Math.max(1, exact));
      }),
    );
  });

  it('stays exact past the integers a double holds', () => {
    // 10 million answers of 10 and 10 million of 30: n·Σx² is 2·10^17, beyond 2^53, and the
    // exact numerator is 2·10^17 − (4·10^8)² = 4·10^16.
    const n = 20_000_000;
    const moments = { n, sum: 10_000_000 * 40, sumSquares: 10_000_000 * 1_000 };
    expect(integerSampleVariance(moments)).toBe(4e16 / (n * (n - 1)));
  });

  it('refuses moments that are not integers', () => {
    expect(() => integerSampleVariance({ n: 2, sum: 1.5, sumSquares: 3 })).toThrow(RangeError);
  });
});

describe('integerSampleCovariance', () => {
  const coMoments = (pairs: [number, number][]) => ({
    n: pairs.length,
    sumX: pairs.reduce((a, [x]) => a + x, 0),
    sumY: pairs.reduce((a, [, y]) => a + y, 0),
    sumProducts: pairs.reduce((a, [x, y]) => a + x * y, 0),
  });

  it('is the exact covariance of integer pairs, correctly rounded', () => {
    // x = 1,2,3 and y = 2,4,7: mean 2 and 13/3, Σ(x−x̄)(y−ȳ) = 5, over n − 1 = 2.
    expect(
      integerSampleCovariance(
        coMoments([
          [1, 2],
          [2, 4],
          [3, 7],
        ]),
      ),
    ).toBe(5 / 2);
    expect(
      integerSampleCovariance(
        coMoments([
          [1, 5],
          [3, 1],
        ]),
      ),
    ).toBe(-4);
    expect(integerSampleCovariance(coMoments([[4, 4]]))).toBeNull();
  });

  it('is the variance when both sides are the same values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 2 }), (xs) => {
        expect(integerSampleCovariance(coMoments(xs.map((x) => [x, x])))).toBe(
          integerSampleVariance(momentsOf(xs)),
        );
      }),
    );
  });

  it('agrees with the two-pass covariance on any integer pairs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })), {
          minLength: 2,
        }),
        (pairs) => {
          const n = pairs.length;
          const mx = pairs.reduce((a, [x]) => a + x, 0) / n;
          const my = pairs.reduce((a, [, y]) => a + y, 0) / n;
          const twoPass = pairs.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / (n - 1);
          const exact = integerSampleCovariance(coMoments(pairs))!;
          expect(Math.abs(exact - twoPass)).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(exact)),
          );
        },
      ),
    );
  });

  it('refuses sums that are not integers', () => {
    expect(() => integerSampleCovariance({ n: 2, sumX: 1.5, sumY: 3, sumProducts: 4 })).toThrow(
      RangeError,
    );
  });
});
