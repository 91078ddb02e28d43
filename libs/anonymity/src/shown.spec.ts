import { reveal, revealGroup } from './shown';

describe('reveal: the only way a figure becomes Shown', () => {
  const shown = { shown: true, respondents: 6 };

  it('lets a figure through when its group is shown and k people are behind the figure', () => {
    const figure = { n: 5, mean: 3.2 };
    expect(reveal(shown, figure, 5)).toBe(figure);
  });

  it('withholds a figure resting on fewer than k people, even in a shown group', () => {
    expect(reveal(shown, { n: 1, mean: 4 }, 5)).toBeNull();
    expect(reveal(shown, { n: Number.NaN, mean: 4 }, 5)).toBeNull();
  });

  it('withholds everything of a hidden, unknown or too small group', () => {
    expect(reveal({ shown: false, respondents: 9 }, { n: 9 }, 5)).toBeNull();
    expect(reveal(undefined, { n: 9 }, 5)).toBeNull();
    expect(revealGroup({ shown: true, respondents: 4 }, 'micromanagement', 5)).toBeNull();
    expect(revealGroup(shown, 'micromanagement', 5)).toBe('micromanagement');
  });

  it('refuses a k below the floor rather than show more', () => {
    expect(() => reveal(shown, { n: 2 }, 2)).toThrow(RangeError);
    expect(() => revealGroup(shown, 'x', Number.NaN)).toThrow(RangeError);
  });
});
