import fc from 'fast-check';
import { percentileRank, percentileRanker } from './percentile';

describe('percentileRank', () => {
  it('counts teams below plus half the ties', () => {
    const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentileRank(10, all)).toBe(95);
    expect(percentileRank(1, all)).toBe(5);
    expect(percentileRank(5.5, all)).toBe(50);
    expect(percentileRank(3, [3, 3, 3, 3])).toBe(50);
    expect(percentileRank(2, [1, 2, 2, 3])).toBe(50);
  });

  it('is unknown with nothing to compare', () => {
    expect(percentileRank(3, [])).toBeNull();
  });

  it('stays in 0..100 and its ranks average 50', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 50 }),
        (all) => {
          const ranks = all.map((v) => percentileRank(v, all)!);
          for (const r of ranks) {
            expect(r).toBeGreaterThan(0);
            expect(r).toBeLessThan(100);
          }
          expect(ranks.reduce((a, b) => a + b, 0) / ranks.length).toBeCloseTo(50, 9);
        },
      ),
    );
  });

  it('rejects values that are not numbers', () => {
    expect(() => percentileRank(Number.NaN, [1])).toThrow(RangeError);
    expect(() => percentileRank(1, [Number.NaN])).toThrow(RangeError);
  });
});

describe('percentileRanker', () => {
  it('ranks exactly as percentileRank does, ties and values outside the set included', () => {
    const score = fc.integer({ min: 0, max: 40 }).map((n) => n / 8);
    fc.assert(
      fc.property(
        fc.array(score, { maxLength: 60 }),
        fc.array(score, { maxLength: 10 }),
        (all, probes) => {
          const rank = percentileRanker(all);
          for (const value of [...all, ...probes])
            expect(rank(value)).toBe(percentileRank(value, all));
        },
      ),
    );
  });

  it('refuses what percentileRank refuses', () => {
    expect(() => percentileRanker([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentileRanker([1, 2])(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
