/**
 * When the round closes, in the campaign's time zone and naming it: the people answering live
 * there, and the server's zone is nobody's. An unknown zone (not made by today's code, which
 * checks it) falls back to UTC rather than failing the page.
 */
export function closesText(closesAt: Date, timeZone = 'UTC'): string {
  const format = (zone: string) =>
    new Date(closesAt).toLocaleString('en-GB', {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
    });
  try {
    return `${format(timeZone)} ${timeZone === 'UTC' ? 'UTC' : `(${timeZone.replace(/_/g, ' ')} time)`}`;
  } catch {
    return `${format('UTC')} UTC`;
  }
}
