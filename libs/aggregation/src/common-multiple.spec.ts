import { commonMultiple } from './aggregation.repository';

describe('commonMultiple', () => {
  it('is the least common multiple of 1..n', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(commonMultiple)).toEqual(
      [1, 1, 2, 6, 12, 60, 60, 420, 840].map(BigInt),
    );
    expect(commonMultiple(20)).toBe(232_792_560n);
    // Past int8 and past a double's integers: exact all the same.
    expect(commonMultiple(43)).toBe(9_419_588_158_802_421_600n);
  });

  it('makes any score on up to n answered items an integer', () => {
    for (let n = 1; n <= 60; n++)
      for (let answered = 1; answered <= n; answered++)
        expect(commonMultiple(n) % BigInt(answered)).toBe(0n);
  });
});
