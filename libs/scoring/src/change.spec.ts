import { changeBetween } from './change';

describe('changeBetween', () => {
  it('calls a clear rise an improvement, with a Welch interval around the difference', () => {
    const c = changeBetween(
      { n: 10, mean: 2.5, se: 0.1 },
      { n: 10, mean: 3.5, se: 0.1 },
      'decision_rights',
    )!;
    expect(c.delta).toBeCloseTo(1, 12);
    // df = 18, t(0.95, 18) = 1.734063592, se of the difference = sqrt(0.02)
    expect(c.ciHigh - c.delta).toBeCloseTo(1.734063592 * Math.sqrt(0.02), 6);
    expect(c.verdict).toBe('improved');
  });

  it('does not mistake noise for success', () => {
    expect(
      changeBetween({ n: 6, mean: 3.0, se: 0.4 }, { n: 6, mean: 3.3, se: 0.4 }, 'alignment')!
        .verdict,
    ).toBe('no_clear_change');
  });

  it('reads over-control the other way round: less control is better', () => {
    expect(
      changeBetween({ n: 12, mean: 4.2, se: 0.1 }, { n: 12, mean: 3.0, se: 0.1 }, 'over_control')!
        .verdict,
    ).toBe('improved');
    expect(
      changeBetween({ n: 12, mean: 3.0, se: 0.1 }, { n: 12, mean: 4.2, se: 0.1 }, 'over_control')!
        .verdict,
    ).toBe('worsened');
  });

  it('needs two estimates with a spread', () => {
    expect(
      changeBetween({ n: 1, mean: 3, se: null }, { n: 8, mean: 4, se: 0.2 }, 'alignment'),
    ).toBeNull();
    expect(
      changeBetween({ n: 8, mean: null, se: null }, { n: 8, mean: 4, se: 0.2 }, 'alignment'),
    ).toBeNull();
  });

  it('with zero spread on both sides any difference is clear', () => {
    expect(
      changeBetween({ n: 5, mean: 3, se: 0 }, { n: 5, mean: 3.2, se: 0 }, 'alignment')!.verdict,
    ).toBe('improved');
    expect(
      changeBetween({ n: 5, mean: 3, se: 0 }, { n: 5, mean: 3, se: 0 }, 'alignment')!.verdict,
    ).toBe('no_clear_change');
  });
});

describe('the direction of a custom dimension', () => {
  it('reads a rise as worse where the instrument says higher is worse', () => {
    const earlier = { n: 10, mean: 2, se: 0.1 };
    const later = { n: 10, mean: 3, se: 0.1 };
    expect(changeBetween(earlier, later, { key: 'hostility', higherIsWorse: true })?.verdict).toBe(
      'worsened',
    );
    expect(changeBetween(earlier, later, { key: 'hostility' })?.verdict).toBe('improved');
    expect(changeBetween(earlier, later, 'over_control')?.verdict).toBe('worsened');
  });
});
