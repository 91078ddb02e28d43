import { closesText } from './closes-text';

/** What closesText said before its formatters were kept: Date's own toLocaleString, per call. */
function byToLocaleString(at: Date, zone: string): string {
  return at.toLocaleString('en-GB', {
    timeZone: zone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    ...(at.getUTCSeconds() !== 0 ? { second: '2-digit' as const } : {}),
  });
}

describe('closesText', () => {
  const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'];

  it('says the same as Date#toLocaleString in each zone, with and without seconds', () => {
    for (let i = 0; i < 200; i++) {
      // Spread over two years, every third on a whole minute.
      const ms = Date.UTC(2026, 0, 1) + i * 3_600_017 * 97;
      const at = new Date(i % 3 === 0 ? ms - (ms % 60_000) : ms);
      for (const zone of zones) {
        const suffix = zone === 'UTC' ? 'UTC' : `(${zone.replace(/_/g, ' ')} time)`;
        expect(closesText(at, zone)).toBe(`${byToLocaleString(at, zone)} ${suffix}`);
      }
    }
  });

  it('names seconds only off the whole minute, and falls back to UTC for an unknown zone', () => {
    expect(closesText(new Date('2026-12-07T09:00:00Z'), 'Europe/Berlin')).toBe(
      'Monday 7 December at 10:00 (Europe/Berlin time)',
    );
    expect(closesText(new Date('2026-12-07T09:00:30Z'))).toBe('Monday 7 December at 09:00:30 UTC');
    expect(closesText(new Date('2026-12-07T09:00:00Z'), 'Mars/Olympus')).toBe(
      'Monday 7 December at 09:00 UTC',
    );
  });
});
