import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';

export const CADENCES = ['weekly', 'biweekly', 'monthly', 'quarterly', 'cron'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface CampaignSchedule {
  cadence: Cadence;
  cron: string | null;
  timezone: string;
  /** Local date (YYYY-MM-DD) before which no round opens. */
  startsOn: string;
  /** How long a round stays open, in days (fractions allowed). */
  openDays: number;
  /** When reminders go, in days after the round opens. */
  reminderDays: number[];
}

export interface Period {
  /** The local date the period starts on; with the campaign it names the round. */
  periodStart: string;
  /** The local date before the next period starts. */
  periodEnd: string;
  opensAt: Date;
  closesAt: Date;
}

// Rounds open at 09:00 local time on the cadence's day.
const CRON: Record<Exclude<Cadence, 'cron'>, string> = {
  weekly: '0 0 9 * * 1',
  biweekly: '0 0 9 * * 1',
  monthly: '0 0 9 1 * *',
  quarterly: '0 0 9 1 1,4,7,10 *',
};

const DAY_MS = 86_400_000;

export function isValidTimezone(tz: string): boolean {
  return IANAZone.isValidZone(tz);
}

export function isValidCron(expression: string): boolean {
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

function occurrences(schedule: CampaignSchedule, from: Date) {
  return CronExpressionParser.parse(
    schedule.cron ?? CRON[schedule.cadence as Exclude<Cadence, 'cron'>],
    {
      currentDate: from,
      tz: schedule.timezone,
    },
  );
}

function localDate(date: Date, tz: string): string {
  return DateTime.fromJSDate(date, { zone: tz }).toISODate()!;
}

function startOfDay(isoDate: string, tz: string): Date {
  return DateTime.fromISO(isoDate, { zone: tz }).startOf('day').toJSDate();
}

/**
 * The period a round should exist for at `now`: the latest opening at or before now, if its
 * round would still be open. Null before the campaign starts or between a round's close and the
 * next opening. A worker that was down simply asks again when it returns.
 */
export function currentPeriod(schedule: CampaignSchedule, now: Date): Period | null {
  const start = startOfDay(schedule.startsOn, schedule.timezone);
  if (now < start) return null;
  let opensAt = occurrences(schedule, new Date(now.getTime() + 1))
    .prev()
    .toDate();
  let nextOpen = occurrences(schedule, opensAt).next().toDate();
  if (schedule.cadence === 'biweekly') {
    // Every other weekly opening, counted from the first one on or after the start date.
    const first = occurrences(schedule, new Date(start.getTime() - 1))
      .next()
      .toDate();
    const weeks = Math.round(
      DateTime.fromJSDate(opensAt, { zone: schedule.timezone }).diff(
        DateTime.fromJSDate(first, { zone: schedule.timezone }),
        'weeks',
      ).weeks,
    );
    if (weeks % 2 !== 0) {
      opensAt = DateTime.fromJSDate(opensAt, { zone: schedule.timezone })
        .minus({ weeks: 1 })
        .toJSDate();
    } else {
      nextOpen = occurrences(schedule, nextOpen).next().toDate();
    }
  }
  if (opensAt < start) return null;
  const closesAt = new Date(
    Math.min(opensAt.getTime() + schedule.openDays * DAY_MS, nextOpen.getTime()),
  );
  if (now >= closesAt) return null;
  return {
    periodStart: localDate(opensAt, schedule.timezone),
    periodEnd: DateTime.fromJSDate(nextOpen, { zone: schedule.timezone })
      .minus({ days: 1 })
      .toISODate()!,
    opensAt,
    closesAt,
  };
}

/** When reminder `index` of a round that opened at `opensAt` is due. */
export function reminderDue(
  schedule: Pick<CampaignSchedule, 'reminderDays'>,
  opensAt: Date,
  index: number,
): Date {
  return new Date(opensAt.getTime() + schedule.reminderDays[index] * DAY_MS);
}

/**
 * The next `count` rounds the schedule would open after `now` (or from its start date, if that
 * is later), each with its closing. The same rules as currentPeriod: a round closes after
 * openDays or when the next one opens, whichever is first; biweekly counts every other weekly
 * opening from the first one on or after the start date.
 */
export function nextPeriods(schedule: CampaignSchedule, now: Date, count = 5): Period[] {
  const start = startOfDay(schedule.startsOn, schedule.timezone);
  const from = new Date(Math.max(now.getTime(), start.getTime() - 1));
  const first =
    schedule.cadence === 'biweekly'
      ? occurrences(schedule, new Date(start.getTime() - 1))
          .next()
          .toDate()
      : null;
  const openings: Date[] = [];
  try {
    const it = occurrences(schedule, from);
    // A bound on the search: a cron expression may match rarely, or (Feb 30) never.
    for (let tries = 0; openings.length < count + 1 && tries < 4 * (count + 1); tries++) {
      const opensAt = it.next().toDate();
      if (first) {
        const weeks = Math.round(
          DateTime.fromJSDate(opensAt, { zone: schedule.timezone }).diff(
            DateTime.fromJSDate(first, { zone: schedule.timezone }),
            'weeks',
          ).weeks,
        );
        if (weeks % 2 !== 0) continue;
      }
      openings.push(opensAt);
    }
  } catch {
    // No further occurrence: the openings found so far are all there are.
  }
  return openings.slice(0, count).map((opensAt, i) => {
    const nextOpen = openings[i + 1];
    const byLength = opensAt.getTime() + schedule.openDays * DAY_MS;
    return {
      periodStart: localDate(opensAt, schedule.timezone),
      periodEnd: nextOpen
        ? DateTime.fromJSDate(nextOpen, { zone: schedule.timezone }).minus({ days: 1 }).toISODate()!
        : localDate(new Date(byLength), schedule.timezone),
      opensAt,
      closesAt: new Date(nextOpen ? Math.min(byLength, nextOpen.getTime()) : byLength),
    };
  });
}
