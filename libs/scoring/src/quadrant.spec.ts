import { quadrant, quadrantOf } from './quadrant';

describe('quadrant', () => {
  it.each([
    [4, 4, 'aligned_autonomy'],
    [3.5, 3.5, 'aligned_autonomy'],
    [4, 3.49, 'abandonment_risk'],
    [3.5, 1, 'abandonment_risk'],
    [3.49, 3.5, 'micromanagement_risk'],
    [1, 5, 'micromanagement_risk'],
    [3.49, 3.49, 'adrift'],
    [1, 1, 'adrift'],
  ] as const)('A = %p, L = %p is %p', (a, l, expected) => {
    expect(quadrant(a, l)).toBe(expected);
  });

  it('puts a mean that rounding left a hair below the midpoint on it', () => {
    expect(quadrant(3.4999999999999996, 3.5)).toBe('aligned_autonomy');
    expect(quadrant(3.4999, 3.5)).toBe('micromanagement_risk');
  });

  it('is unknown when A or L is', () => {
    expect(quadrant(null, 4)).toBeNull();
    expect(quadrant(4, null)).toBeNull();
    expect(quadrantOf({ autonomy: null, alignment: null })).toBeNull();
  });

  it('uses the midpoint it is given', () => {
    expect(quadrant(3.2, 3.2, 3)).toBe('aligned_autonomy');
    expect(
      quadrantOf(
        {
          autonomy: { value: 3.2, se: null, ciLow: null, ciHigh: null, n: 5 },
          alignment: { value: 2.9, se: null, ciLow: null, ciHigh: null, n: 5 },
        },
        3,
      ),
    ).toBe('abandonment_risk');
  });

  it('refuses NaN rather than calling it adrift', () => {
    expect(() => quadrant(Number.NaN, 2)).toThrow(RangeError);
  });
});
