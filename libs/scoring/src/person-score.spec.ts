import { countsForDimension, personDimensionScore } from './person-score';

describe('a person counts for a dimension when they answered at least half its items', () => {
  it.each([
    // [answered, items, counts]
    [3, 3, true],
    [2, 3, true],
    [1, 3, false],
    [0, 3, false],
    [4, 4, true],
    [2, 4, true],
    [1, 4, false],
    [3, 5, true],
    [2, 5, false],
    [1, 1, true],
    [0, 1, false],
    [1, 2, true],
    [4, 7, true],
    [3, 7, false],
  ])('%i of %i answered: counts %p', (answered, items, counts) => {
    expect(countsForDimension(answered, items)).toBe(counts);
  });

  it('refuses counts that cannot be', () => {
    expect(() => countsForDimension(4, 3)).toThrow(RangeError);
    expect(() => countsForDimension(-1, 3)).toThrow(RangeError);
    expect(() => countsForDimension(1.5, 3)).toThrow(RangeError);
    expect(() => countsForDimension(0, 0)).toThrow(RangeError);
  });
});

describe('a person’s dimension score', () => {
  it('is the mean of the answered items, skipped ones left out', () => {
    expect(personDimensionScore([4, null, 2])).toBe(3);
    expect(personDimensionScore([5, 4, null, null])).toBe(4.5);
    expect(personDimensionScore([1, 2, 3, 5])).toBe(2.75);
  });

  it('is missing when fewer than half were answered', () => {
    expect(personDimensionScore([4, null, null])).toBeNull();
    expect(personDimensionScore([null, null, null, 5])).toBeNull();
    expect(personDimensionScore([null, null])).toBeNull();
  });

  it('counts items the person was not shown against them too, given the dimension’s size', () => {
    expect(personDimensionScore([3, 5], 4)).toBe(4);
    expect(personDimensionScore([3], 4)).toBeNull();
    expect(() => personDimensionScore([1, 2, 3], 2)).toThrow(RangeError);
  });
});
