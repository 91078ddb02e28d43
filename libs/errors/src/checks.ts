/** Plain value checks that domain rules and request DTOs share, so both say the same. */

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a real day written YYYY-MM-DD: 2026-02-30 is not, nor rolled over. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

export const CALENDAR_DATE_MESSAGE = 'must be a date that exists, written like 2026-11-23';
