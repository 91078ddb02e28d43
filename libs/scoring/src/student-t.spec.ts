import fc from 'fast-check';
import { tCdf, tQuantile } from './student-t';

describe('tQuantile', () => {
  // Reference values from R's qt() / scipy.stats.t.ppf (checked to 40 digits with mpmath).
  it.each([
    [0.95, 1, 6.313751514675037],
    [0.95, 2, 2.9199855803537242],
    [0.95, 3, 2.3533634348018233],
    [0.95, 4, 2.1318467863266495],
    [0.95, 10, 1.8124611228116756],
    [0.95, 14, 1.761310135774891],
    [0.95, 30, 1.697260886593957],
    [0.95, 1000, 1.6463788172854643],
    [0.95, 100000, 1.6448688647849696],
    [0.95, 1e6, 1.6448551507220404],
    [0.975, 5, 2.5705818356363146],
    [0.6, 7, 0.2631668613520229],
    [0.95, 2.5, 2.5582186141359355],
    [0.9, 0.5, 10.27032441023451],
  ])('t(%p, df=%p) = %p', (p, df, expected) => {
    expect(Math.abs(tQuantile(p, df) - expected)).toBeLessThan(1e-9);
  });

  it('keeps precision far in the tails', () => {
    expect(tQuantile(0.999999, 1) / 318309.88617359026 - 1).toBeCloseTo(0, 10);
    expect(tQuantile(0.999999, 3)).toBeCloseTo(103.29946777942898, 8);
    expect(tQuantile(1e-9, 4)).toBeCloseTo(-234.02761040611892, 8);
    expect(tQuantile(0.500001, 2)).toBeCloseTo(2.8284271248331806e-6, 15);
  });

  it('matches the closed forms for one and two degrees of freedom', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
        const cauchy = Math.tan(Math.PI * (p - 0.5));
        const two = (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
        expect(Math.abs(tQuantile(p, 1) - cauchy)).toBeLessThan(
          1e-9 * Math.max(1, Math.abs(cauchy)),
        );
        expect(Math.abs(tQuantile(p, 2) - two)).toBeLessThan(1e-9 * Math.max(1, Math.abs(two)));
      }),
    );
  });

  it('is the inverse of tCdf, antisymmetric, and increasing', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.0005, max: 0.9995, noNaN: true }),
        fc.double({ min: 1, max: 5000, noNaN: true }),
        (p, df) => {
          const t = tQuantile(p, df);
          expect(Math.abs(tCdf(t, df) - p)).toBeLessThan(1e-12);
          expect(tQuantile(1 - p, df)).toBeCloseTo(-t, 9);
          expect(tQuantile(Math.min(p + 0.0004, 0.9999), df)).toBeGreaterThan(t);
        },
      ),
    );
  });

  it('gives the median and the ends exactly', () => {
    expect(tQuantile(0.5, 3)).toBe(0);
    expect(tQuantile(0, 3)).toBe(-Infinity);
    expect(tQuantile(1, 3)).toBe(Infinity);
  });

  it('rejects impossible arguments', () => {
    expect(() => tQuantile(1.2, 3)).toThrow(RangeError);
    expect(() => tQuantile(Number.NaN, 3)).toThrow(RangeError);
    expect(() => tQuantile(0.9, 0)).toThrow(RangeError);
    expect(() => tQuantile(0.9, -1)).toThrow(RangeError);
    expect(() => tQuantile(0.9, Infinity)).toThrow(RangeError);
  });
});

describe('tCdf', () => {
  it('matches known values', () => {
    expect(tCdf(0, 5)).toBe(0.5);
    // Cauchy: P(T ≤ 1) = 3/4.
    expect(tCdf(1, 1)).toBeCloseTo(0.75, 14);
    expect(tCdf(-2.5705818356363146, 5)).toBeCloseTo(0.025, 13);
    expect(tCdf(Infinity, 5)).toBe(1);
    expect(tCdf(-Infinity, 5)).toBe(0);
  });
});
