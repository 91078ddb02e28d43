import { ValidateBy } from 'class-validator';
import { CALENDAR_DATE_MESSAGE, isCalendarDate } from '@trellis/errors';

export { isCalendarDate };

/** A real day written YYYY-MM-DD: 2026-02-30 is refused, not rolled over. */
export function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: isCalendarDate,
      defaultMessage: () => CALENDAR_DATE_MESSAGE,
    },
  });
}
