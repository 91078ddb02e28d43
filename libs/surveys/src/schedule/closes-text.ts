/**
 * When the round closes, in the campaign's time zone and naming it: the people answering live
 * there, and the server's zone is nobody's. An unknown zone (not made by today's code, which
 * checks it) falls back to UTC rather than failing the page. Seconds are said only when the
 * closing is not on a whole minute (a schedule of seconds, as in tests): "at 09:00" otherwise.
 */
export function closesText(closesAt: Date, timeZone = 'UTC'): string {
  const at = new Date(closesAt);
  const format = (zone: string) =>
    at.toLocaleString('en-GB', {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      ...(at.getUTCSeconds() !== 0 ? { second: '2-digit' as const } : {}),
    });
  try {
    return `${format(timeZone)} ${timeZone === 'UTC' ? 'UTC' : `(${timeZone.replace(/_/g, ' ')} time)`}`;
  } catch {
    return `${format('UTC')} UTC`;
  }
}
