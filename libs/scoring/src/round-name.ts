const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/**
 * "the round of 2 November 2026" for a round starting on 2026-11-02: how a flag names the round
 * it compares with, in words a team recognises. Null for anything that is not such a date, so
 * the caller says something vaguer rather than something wrong.
 */
export function roundOf(periodStart: string | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(periodStart ?? '');
  if (!match) return null;
  const [, year, month, day] = match;
  const name = MONTHS[Number(month) - 1];
  const dayOfMonth = Number(day);
  if (name === undefined || dayOfMonth < 1 || dayOfMonth > 31) return null;
  return `the round of ${dayOfMonth} ${name} ${year}`;
}
