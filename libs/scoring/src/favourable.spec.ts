import { favourableBounds, share } from './favourable';

describe('favourableBounds', () => {
  it('puts favourable at hi − 1 and unfavourable at lo + 1', () => {
    expect(favourableBounds({ min: 1, max: 5 })).toEqual({
      favourableAtLeast: 4,
      unfavourableAtMost: 2,
    });
    expect(favourableBounds({ min: 0, max: 4 })).toEqual({
      favourableAtLeast: 3,
      unfavourableAtMost: 1,
    });
    expect(favourableBounds({ min: 1, max: 7 })).toEqual({
      favourableAtLeast: 6,
      unfavourableAtMost: 2,
    });
  });
});

describe('share', () => {
  it('is a fraction of the respondents, and unknown without respondents', () => {
    expect(share(3, 4)).toBe(0.75);
    expect(share(0, 4)).toBe(0);
    expect(share(0, 0)).toBeNull();
  });

  it('rejects counts that cannot be', () => {
    expect(() => share(5, 4)).toThrow(RangeError);
    expect(() => share(-1, 4)).toThrow(RangeError);
    expect(() => share(1.5, 4)).toThrow(RangeError);
    expect(() => share(0, -1)).toThrow(RangeError);
  });
});
