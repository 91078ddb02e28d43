import { answerTone, answerTones, favourableBounds, isHigherWorse, share } from './favourable';

const five = { min: 1, max: 5 };

describe('favourableBounds', () => {
  it('puts favourable at hi − 1 and unfavourable at lo + 1 where higher is better', () => {
    expect(favourableBounds(five)).toEqual({
      favourable: { from: 4, to: 5 },
      unfavourable: { from: 1, to: 2 },
    });
    expect(favourableBounds({ min: 0, max: 4 })).toEqual({
      favourable: { from: 3, to: 4 },
      unfavourable: { from: 0, to: 1 },
    });
    expect(favourableBounds({ min: 1, max: 7 })).toEqual({
      favourable: { from: 6, to: 7 },
      unfavourable: { from: 1, to: 2 },
    });
  });

  it('turns round where higher is worse, so favourable is always the healthy side', () => {
    expect(favourableBounds(five, true)).toEqual({
      favourable: { from: 1, to: 2 },
      unfavourable: { from: 4, to: 5 },
    });
    expect(favourableBounds({ min: 0, max: 4 }, true)).toEqual({
      favourable: { from: 0, to: 1 },
      unfavourable: { from: 3, to: 4 },
    });
  });

  it('refuses a scale without a range', () => {
    expect(() => favourableBounds({ min: 3, max: 3 })).toThrow(RangeError);
  });
});

describe('isHigherWorse', () => {
  it('reads the instrument’s flag, and over-control by its key when the flag is absent', () => {
    expect(isHigherWorse({ key: 'over_control' })).toBe(true);
    expect(isHigherWorse({ key: 'psych_safety' })).toBe(false);
    expect(isHigherWorse({ key: 'workload', higherIsWorse: true })).toBe(true);
    expect(isHigherWorse({ key: 'workload', higherIsWorse: false })).toBe(false);
  });
});

describe('answerTone', () => {
  const plain = { reverse: false };
  const reversed = { reverse: true };
  const safety = { key: 'psych_safety' };
  const control = { key: 'over_control' };

  it('colours agreement with a plain statement favourable', () => {
    expect(answerTones(five, plain, safety)).toEqual([
      'unfavourable',
      'unfavourable',
      'neutral',
      'favourable',
      'favourable',
    ]);
  });

  it('colours "strongly disagree" with a reversed statement favourable', () => {
    expect(answerTone(1, five, reversed, safety)).toBe('favourable');
    expect(answerTone(5, five, reversed, safety)).toBe('unfavourable');
  });

  it('colours agreement with an over-control statement unfavourable', () => {
    expect(answerTones(five, plain, control)).toEqual([
      'favourable',
      'favourable',
      'neutral',
      'unfavourable',
      'unfavourable',
    ]);
  });

  it('turns twice for a reversed over-control statement ("my leader lets us decide")', () => {
    expect(answerTone(5, five, reversed, control)).toBe('favourable');
    expect(answerTone(1, five, reversed, control)).toBe('unfavourable');
  });

  it('stretches to other scales, with a wider neutral middle on seven points', () => {
    expect(answerTones({ min: 1, max: 7 }, plain, safety)).toEqual([
      'unfavourable',
      'unfavourable',
      'neutral',
      'neutral',
      'neutral',
      'favourable',
      'favourable',
    ]);
    expect(answerTones({ min: 0, max: 4 }, reversed, safety)).toEqual([
      'favourable',
      'favourable',
      'neutral',
      'unfavourable',
      'unfavourable',
    ]);
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

describe('a scale of three options or fewer', () => {
  it('splits at the midpoint, so the middle answer is neutral and no score is on both sides', () => {
    const scale = { min: 1, max: 3 };
    expect(answerTones(scale, { reverse: false }, { key: 'pace' })).toEqual([
      'unfavourable',
      'neutral',
      'favourable',
    ]);
    const { favourable, unfavourable } = favourableBounds(scale);
    for (const score of [1, 1.5, 2, 2.5, 3]) {
      const fav = score >= favourable.from && score <= favourable.to;
      const unfav = score >= unfavourable.from && score <= unfavourable.to;
      expect(fav && unfav).toBe(false);
      expect(fav).toBe(score > 2);
      expect(unfav).toBe(score < 2);
    }
  });

  it('turns round where higher is worse, and leaves 1..4 and 1..5 to the model’s rule', () => {
    expect(answerTones({ min: 0, max: 2 }, { reverse: false }, { key: 'over_control' })).toEqual([
      'favourable',
      'neutral',
      'unfavourable',
    ]);
    expect(favourableBounds({ min: 1, max: 4 })).toEqual({
      favourable: { from: 3, to: 4 },
      unfavourable: { from: 1, to: 2 },
    });
    expect(favourableBounds({ min: 1, max: 5 }).favourable).toEqual({ from: 4, to: 5 });
  });
});
