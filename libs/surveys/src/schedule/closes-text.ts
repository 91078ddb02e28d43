/**
 * Formatters by zone and by whether seconds are said: building one costs far more than using it
 * (a Monday's invitations format one closing time per message), and zones are few.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, seconds: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${seconds}`;
  let format = formatters.get(key);
  if (!format) {
    // Throws a RangeError for an unknown zone, before anything is kept.
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' as const } : {}),
    });
    formatters.set(key, format);
  }
  return format;
}

/**
 * When the round closes, in the campaign's time zone and naming it: the people answering live
 * there, and the server's zone is nobody's. An unknown zone (not made by today's code, which
 * checks it) falls back to UTC rather than failing the page. Seconds are said only when the
 * closing is not on a whole minute (a schedule of seconds, as in tests): "at 09:00" otherwise.
 */
export function closesText(closesAt: Date, timeZone = 'UTC'): string {
  const at = new Date(closesAt);
  const seconds = at.getUTCSeconds() !== 0;
  try {
    const text = formatter(timeZone, seconds).format(at);
    return `${text} ${timeZone === 'UTC' ? 'UTC' : `(${timeZone.replace(/_/g, ' ')} time)`}`;
  } catch {
    return `${formatter('UTC', seconds).format(at)} UTC`;
  }
}
