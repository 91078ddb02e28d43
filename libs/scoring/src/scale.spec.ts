import fc from 'fast-check';
import { optionCount, spreadToFivePoint, toFivePoint, toScore100 } from './scale';

describe('toScore100', () => {
  it('maps the ends of any scale to 0 and 100', () => {
    expect(toScore100(1, 1, 5)).toBe(0);
    expect(toScore100(5, 1, 5)).toBe(100);
    expect(toScore100(3, 1, 5)).toBe(50);
    expect(toScore100(0, 0, 4)).toBe(0);
    expect(toScore100(3, 0, 4)).toBe(75);
    expect(toScore100(4, 1, 7)).toBe(50);
    expect(toScore100(null, 1, 5)).toBeNull();
  });

  it('rejects a scale without range', () => {
    expect(() => toScore100(3, 5, 5)).toThrow(RangeError);
    expect(() => toScore100(3, 5, 1)).toThrow(RangeError);
  });
});

describe('toFivePoint', () => {
  it('leaves 1..5 as it is', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 5, noNaN: true }), (m) => {
        expect(toFivePoint(m, 1, 5)).toBeCloseTo(m, 12);
      }),
    );
  });

  it('moves 0..4 up by one and 1..7 by two-thirds', () => {
    expect(toFivePoint(0, 0, 4)).toBe(1);
    expect(toFivePoint(2.5, 0, 4)).toBe(3.5);
    expect(toFivePoint(4, 0, 4)).toBe(5);
    expect(toFivePoint(1, 1, 7)).toBe(1);
    expect(toFivePoint(4, 1, 7)).toBe(3);
    expect(toFivePoint(7, 1, 7)).toBe(5);
    expect(toFivePoint(5.5, 1, 7)).toBe(4);
  });

  it('turns a reverse-keyed 1..5 answer (x′ = 6 − x) into the mirror point', () => {
    // Reversal happens in SQL; on 1..5 the converted mirror of m is 6 − m.
    for (const x of [1, 2, 3, 4, 5])
      expect(toFivePoint(6 - x, 1, 5)).toBe(6 - toFivePoint(x, 1, 5));
  });

  it('stretches spreads without shifting them', () => {
    expect(spreadToFivePoint(0.5, 1, 5)).toBe(0.5);
    expect(spreadToFivePoint(0.5, 0, 4)).toBe(0.5);
    expect(spreadToFivePoint(0.6, 1, 7)).toBeCloseTo(0.4, 14);
  });
});

describe('optionCount', () => {
  it('counts the answer options', () => {
    expect(optionCount({ min: 1, max: 5 })).toBe(5);
    expect(optionCount({ min: 0, max: 4 })).toBe(5);
    expect(optionCount({ min: 1, max: 7 })).toBe(7);
    expect(() => optionCount({ min: 3, max: 3 })).toThrow(RangeError);
  });
});
