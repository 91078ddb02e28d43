import { cronbachAlpha } from './alpha';

describe('cronbachAlpha', () => {
  it('is k/(k − 1) · (1 − Σ item variances / variance of the total)', () => {
    // Three people, two items: (1, 2), (2, 3), (3, 5). Item variances 1 and 7/3; totals 3, 5, 8
    // with variance 19/3. α = 2 × (1 − (10/3)/(19/3)) = 18/19.
    expect(cronbachAlpha({ k: 2, itemVariances: [1, 7 / 3], totalVariance: 19 / 3 })).toBeCloseTo(
      18 / 19,
      14,
    );
    expect(cronbachAlpha({ k: 2, itemVarianceSum: 10 / 3, totalVariance: 19 / 3 })).toBeCloseTo(
      18 / 19,
      14,
    );
  });

  it('is 1 for perfectly parallel items and 0 for unrelated ones', () => {
    // k identical items of variance v: total variance k²v.
    expect(cronbachAlpha({ k: 4, itemVariances: [1, 1, 1, 1], totalVariance: 16 })).toBeCloseTo(
      1,
      14,
    );
    expect(cronbachAlpha({ k: 4, itemVariances: [1, 1, 1, 1], totalVariance: 4 })).toBe(0);
  });

  it('keeps a negative alpha, as psych does', () => {
    expect(cronbachAlpha({ k: 2, itemVariances: [1, 1], totalVariance: 1 })).toBe(-2);
  });

  it('is unknown with one item or no variance in the totals', () => {
    expect(cronbachAlpha({ k: 1, itemVariances: [1], totalVariance: 1 })).toBeNull();
    expect(cronbachAlpha({ k: 3, itemVariances: [0, 0, 0], totalVariance: 0 })).toBeNull();
    expect(cronbachAlpha({ k: 3, itemVarianceSum: null, totalVariance: 2 })).toBeNull();
    expect(cronbachAlpha({ k: 3, itemVarianceSum: 1, totalVariance: null })).toBeNull();
  });

  it('rejects a list of variances that does not match k', () => {
    expect(() => cronbachAlpha({ k: 3, itemVariances: [1, 1], totalVariance: 4 })).toThrow(
      RangeError,
    );
  });
});
