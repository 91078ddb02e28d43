import fc from 'fast-check';
import { expectedUniformVariance, rwg, rwgJ } from './agreement';
import { optionCount } from './scale';

const variance = fc.double({ min: 0, max: 20, noNaN: true });
const options = fc.integer({ min: 2, max: 11 });

describe('expectedUniformVariance', () => {
  it('is (A² − 1) / 12', () => {
    expect(expectedUniformVariance(5)).toBe(2); // multilevel's ranvar = 2 for 1..5
    expect(expectedUniformVariance(7)).toBe(4);
    expect(expectedUniformVariance(2)).toBe(0.25);
    expect(() => expectedUniformVariance(1)).toThrow(RangeError);
    expect(() => expectedUniformVariance(4.5)).toThrow(RangeError);
  });
});

describe('rwg', () => {
  it('is 1 − s²/σ²EU, floored at 0', () => {
    expect(rwg(1, 5)).toBe(0.5);
    expect(rwg(0, 5)).toBe(1); // everyone gave the same answer
    expect(rwg(2, 5)).toBe(0);
    expect(rwg(3, 5)).toBe(0); // more spread than random answering
    expect(rwg(1, 7)).toBe(0.75); // 1..7: σ²EU = 4
    expect(rwg(0.5, 5)).toBe(0.75); // 0..4 has five options too
  });

  it('is unknown when the variance is (fewer than two answers)', () => {
    expect(rwg(null, 5)).toBeNull();
  });

  it('takes a hair below zero as zero and rejects real negatives', () => {
    expect(rwg(-1e-15, 5)).toBe(1);
    expect(() => rwg(-0.1, 5)).toThrow(RangeError);
    expect(() => rwg(Number.NaN, 5)).toThrow(RangeError);
  });

  it('stays within [0, 1]', () => {
    fc.assert(
      fc.property(variance, options, (v, a) => {
        const r = rwg(v, a)!;
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('rwgJ', () => {
  it('follows James, Demaree & Wolf with the mean item variance', () => {
    // s̄² = 1, σ²EU = 2: 3 × 0.5 / (3 × 0.5 + 0.5) = 0.75
    expect(rwgJ([1, 1, 1], 5)).toBeCloseTo(0.75, 14);
    expect(rwgJ([0.5, 1.5, 1], 5)).toBeCloseTo(0.75, 14);
    // 1..7: s̄² = 2, σ²EU = 4: 2 × 0.5 / (2 × 0.5 + 0.5)
    expect(rwgJ([2, 2], 7)).toBeCloseTo(2 / 3, 14);
    // 0..4 has five options: the same null model as 1..5.
    expect(rwgJ([1, 1, 1], optionCount({ min: 0, max: 4 }))).toBeCloseTo(0.75, 14);
    expect(rwg(1, optionCount({ min: 1, max: 7 }))).toBe(0.75);
  });

  it('is 1 when everyone agrees on every item', () => {
    expect(rwgJ([0, 0, 0, 0], 5)).toBe(1);
  });

  it('caps the mean (not each item) at σ²EU, giving 0 beyond random answering', () => {
    expect(rwgJ([3, 3], 5)).toBe(0);
    expect(rwgJ([0.5, 3.5], 5)).toBe(0);
    // One item beyond σ²EU does not zero the index if the mean is below it.
    expect(rwgJ([0, 3], 5)).toBeCloseTo((2 * 0.25) / (2 * 0.25 + 0.75), 14);
  });

  it('leaves out unknown variances and is unknown without any', () => {
    expect(rwgJ([1, null, 1, 1], 5)).toBeCloseTo(0.75, 14);
    expect(rwgJ([null, null], 5)).toBeNull();
    expect(rwgJ([], 5)).toBeNull();
  });

  it('stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(variance, { minLength: 1, maxLength: 12 }), options, (vs, a) => {
        const r = rwgJ(vs, a)!;
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never rises as the mean item variance rises', () => {
    fc.assert(
      fc.property(
        fc.array(variance, { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: 1, maxLength: 12 }),
        options,
        (vs, increases, a) => {
          const more = vs.map((v, i) => v + (increases[i % increases.length] ?? 0));
          expect(rwgJ(more, a)!).toBeLessThanOrEqual(rwgJ(vs, a)! + 1e-12);
        },
      ),
    );
  });
});
