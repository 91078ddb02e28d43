import { liveParticipation } from './live-participation';

describe('liveParticipation', () => {
  it('moves an open round’s count only in whole steps of k', () => {
    expect(liveParticipation({ invited: 12, answered: 4 }, true, 5)).toEqual({
      invited: 12,
      answered: 0,
      responseRate: 0,
    });
    expect(liveParticipation({ invited: 12, answered: 5 }, true, 5).answered).toBe(5);
    expect(liveParticipation({ invited: 12, answered: 9 }, true, 5).answered).toBe(5);
    expect(liveParticipation({ invited: 12, answered: 10 }, true, 5).responseRate).toBeCloseTo(
      10 / 12,
    );
  });

  it('is exact once the round is closed', () => {
    expect(liveParticipation({ invited: 12, answered: 7 }, false, 5).answered).toBe(7);
  });

  it('has no rate for a team nobody was invited in', () => {
    expect(liveParticipation({ invited: 0, answered: 0 }, true, 5).responseRate).toBeNull();
  });

  it('refuses a k below the floor', () => {
    expect(() => liveParticipation({ invited: 3, answered: 1 }, true, 1)).toThrow(RangeError);
  });
});
