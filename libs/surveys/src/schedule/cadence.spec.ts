import {
  currentPeriod,
  isValidCron,
  isValidTimezone,
  nextPeriods,
  reminderDue,
  type CampaignSchedule,
} from './cadence';

const base: CampaignSchedule = {
  cadence: 'weekly',
  cron: null,
  timezone: 'Europe/Berlin',
  startsOn: '2026-11-02',
  openDays: 5,
  reminderDays: [2, 4],
};

describe('currentPeriod', () => {
  it('opens weekly on Monday 09:00 local time and stays open for openDays', () => {
    const p = currentPeriod(base, new Date('2026-11-18T12:00:00Z'))!;
    expect(p.periodStart).toBe('2026-11-16');
    expect(p.periodEnd).toBe('2026-11-22');
    expect(p.opensAt.toISOString()).toBe('2026-11-16T08:00:00.000Z'); // 09:00 CET
    expect(p.closesAt.toISOString()).toBe('2026-11-21T08:00:00.000Z');
  });

  it('has no period before the start or after a round closed', () => {
    expect(currentPeriod(base, new Date('2026-11-01T12:00:00Z'))).toBeNull();
    expect(currentPeriod(base, new Date('2026-11-22T12:00:00Z'))).toBeNull();
    expect(currentPeriod(base, new Date('2026-11-02T07:59:59Z'))).toBeNull();
  });

  it('skips every other week for biweekly', () => {
    const s = { ...base, cadence: 'biweekly' as const, openDays: 10 };
    expect(currentPeriod(s, new Date('2026-11-04T12:00:00Z'))!.periodStart).toBe('2026-11-02');
    expect(currentPeriod(s, new Date('2026-11-10T12:00:00Z'))!.periodStart).toBe('2026-11-02');
    expect(currentPeriod(s, new Date('2026-11-10T12:00:00Z'))!.periodEnd).toBe('2026-11-15');
    expect(currentPeriod(s, new Date('2026-11-17T12:00:00Z'))!.periodStart).toBe('2026-11-16');
    expect(currentPeriod(s, new Date('2026-11-17T12:00:00Z'))!.periodEnd).toBe('2026-11-29');
  });

  it('opens monthly and quarterly on the first day', () => {
    const m = currentPeriod(
      { ...base, cadence: 'monthly', startsOn: '2026-01-01', openDays: 7 },
      new Date('2026-11-03T12:00:00Z'),
    )!;
    expect(m.periodStart).toBe('2026-11-01');
    expect(m.periodEnd).toBe('2026-11-30');
    const q = currentPeriod(
      { ...base, cadence: 'quarterly', startsOn: '2026-01-01', openDays: 14 },
      new Date('2026-10-05T12:00:00Z'),
    )!;
    expect(q.periodStart).toBe('2026-10-01');
    expect(q.periodEnd).toBe('2026-12-31');
  });

  it('caps a round at the next opening when openDays is longer than the cadence', () => {
    const s = { ...base, cron: '0 0 * * * *', cadence: 'cron' as const, openDays: 1 };
    const p = currentPeriod(s, new Date('2026-11-18T12:30:00Z'))!;
    expect(p.opensAt.toISOString()).toBe('2026-11-18T12:00:00.000Z');
    expect(p.closesAt.toISOString()).toBe('2026-11-18T13:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    const s = { ...base, startsOn: '2026-03-01' };
    expect(currentPeriod(s, new Date('2026-03-23T12:00:00Z'))!.opensAt.toISOString()).toBe(
      '2026-03-23T08:00:00.000Z',
    );
    expect(currentPeriod(s, new Date('2026-03-30T12:00:00Z'))!.opensAt.toISOString()).toBe(
      '2026-03-30T07:00:00.000Z',
    );
  });
});

describe('validation helpers', () => {
  it('knows time zones and cron expressions', () => {
    expect(isValidTimezone('Europe/Berlin')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
    expect(isValidCron('0 9 * * 1')).toBe(true);
    expect(isValidCron('every monday')).toBe(false);
  });

  it('computes reminder times from the opening', () => {
    expect(reminderDue(base, new Date('2026-11-16T08:00:00Z'), 1).toISOString()).toBe(
      '2026-11-20T08:00:00.000Z',
    );
  });
});

describe('nextPeriods', () => {
  it('lists the next openings and closings in the campaign zone, across a clock change', () => {
    const ps = nextPeriods(base, new Date('2026-10-20T12:00:00Z'), 5);
    expect(ps.map((p) => p.opensAt.toISOString())).toEqual([
      '2026-11-02T08:00:00.000Z',
      '2026-11-09T08:00:00.000Z',
      '2026-11-16T08:00:00.000Z',
      '2026-11-23T08:00:00.000Z',
      '2026-11-30T08:00:00.000Z',
    ]);
    expect(ps[0].closesAt.toISOString()).toBe('2026-11-07T08:00:00.000Z');
    expect(ps[0].periodEnd).toBe('2026-11-08');
    const summer = nextPeriods(base, new Date('2027-03-24T12:00:00Z'), 2);
    expect(summer.map((p) => p.opensAt.toISOString())).toEqual([
      '2027-03-29T07:00:00.000Z', // 09:00 CEST, after the clocks went forward
      '2027-04-05T07:00:00.000Z',
    ]);
  });

  it('agrees with currentPeriod on every opening it lists, biweekly too', () => {
    for (const s of [base, { ...base, cadence: 'biweekly' as const, openDays: 20 }]) {
      for (const p of nextPeriods(s, new Date('2026-11-03T00:00:00Z'), 5)) {
        const current = currentPeriod(s, new Date(p.opensAt.getTime() + 60_000))!;
        expect(current.periodStart).toBe(p.periodStart);
        expect(current.closesAt.toISOString()).toBe(p.closesAt.toISOString());
        expect(current.periodEnd).toBe(p.periodEnd);
      }
    }
  });

  it('gives fewer, or none, when a cron expression matches rarely or never', () => {
    const never = { ...base, cadence: 'cron' as const, cron: '0 9 30 2 *' };
    expect(nextPeriods(never, new Date('2026-11-03T00:00:00Z'), 5)).toEqual([]);
  });
});
