import { roundOf } from './round-name';

describe('roundOf', () => {
  it.each([
    ['2026-11-02', 'the round of 2 November 2026'],
    ['2025-01-31', 'the round of 31 January 2025'],
    ['2024-12-10', 'the round of 10 December 2024'],
  ])('names the round starting %s', (periodStart, name) => {
    expect(roundOf(periodStart)).toBe(name);
  });

  it.each([
    undefined,
    '',
    '2026-13-02',
    '2026-00-10',
    '2026-11-00',
    '2 November',
    '2026-11-02T00:00',
  ])('is null for %p', (periodStart) => {
    expect(roundOf(periodStart)).toBeNull();
  });
});
