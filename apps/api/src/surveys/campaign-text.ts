import { DateTime } from 'luxon';
import type { CampaignView } from '@trellis/surveys';

/** A moment as people read it in a zone: "Mon 2 Nov 2026, 09:00". */
export function when(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL yyyy, HH:mm');
}

/** How often rounds open, in words. */
export function cadenceText(c: Pick<CampaignView, 'cadence' | 'cron'>): string {
  switch (c.cadence) {
    case 'weekly':
      return 'Every Monday, 09:00';
    case 'biweekly':
      return 'Every other Monday, 09:00';
    case 'monthly':
      return 'On the 1st of each month, 09:00';
    case 'quarterly':
      return 'On the 1st of Jan, Apr, Jul and Oct, 09:00';
    case 'cron':
      return `On the schedule “${c.cron ?? ''}”`;
  }
}

export const CADENCE_CHOICES: { value: string; label: string }[] = [
  { value: 'weekly', label: 'Weekly (Mondays)' },
  { value: 'biweekly', label: 'Every other week (Mondays)' },
  { value: 'monthly', label: 'Monthly (the 1st)' },
  { value: 'quarterly', label: 'Quarterly (1 Jan, Apr, Jul, Oct)' },
  { value: 'cron', label: 'Custom (a cron expression)' },
];
