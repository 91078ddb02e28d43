import { ValidateBy } from 'class-validator';

/** Whether `value` is a real day written YYYY-MM-DD: 2026-02-30 is not, nor rolled over. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
}

/** A real day written YYYY-MM-DD: 2026-02-30 is refused, not rolled over. */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: isCalendarDate,
      defaultMessage: () => 'must be a date that exists, written like 2026-11-23',
    },
  });
}
