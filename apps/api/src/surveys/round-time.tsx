/**
 * A moment in a campaign's own time zone, as people there read their calendar ("Mon 7 Dec 2026,
 * 09:00"), in a <time> element carrying the exact instant. Without a zone (an imported round), UTC.
 */
export function LocalTime({ at, timezone }: { at: Date | string; timezone: string | null }) {
  const when = new Date(at);
  return <time dateTime={when.toISOString()}>{localTimeText(when, timezone)}</time>;
}

export function localTimeText(at: Date, timezone: string | null): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone ?? 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** The zone the times are in, named once per page or panel. */
export function zoneName(timezone: string | null): string {
  return timezone ?? 'UTC';
}
