import type { FieldProblem } from '@trellis/errors';
import type { CampaignInput, CampaignView } from '@trellis/surveys';

/** A campaign form as typed: every value text, so a refused form comes back as it was sent. */
export interface CampaignFormValues {
  name: string;
  instrumentId: string;
  form: string;
  cadence: string;
  cron: string;
  timezone: string;
  startsOn: string;
  openDays: string;
  reminderDays: string;
  leaderSelfView: boolean;
  teamIds: string[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The form body (urlencoded: a repeated field is an array, a single one a string). */
export function formValues(body: Record<string, unknown> | undefined): CampaignFormValues {
  const b = body ?? {};
  const teams = b.teamIds;
  return {
    name: text(b.name),
    instrumentId: text(b.instrumentId),
    form: text(b.form),
    cadence: text(b.cadence),
    cron: text(b.cron).trim(),
    timezone: text(b.timezone).trim(),
    startsOn: text(b.startsOn).trim(),
    openDays: text(b.openDays).trim(),
    reminderDays: text(b.reminderDays).trim(),
    leaderSelfView: b.leaderSelfView === 'true',
    teamIds: (Array.isArray(teams) ? teams : [teams]).filter(
      (t): t is string => typeof t === 'string' && t !== '',
    ),
  };
}

/** A number as people type it ("5", "2,5"); anything else NaN, which the service names. */
function numberOf(value: string): number {
  const t = value.replace(',', '.');
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t) ? Number(t) : Number.NaN;
}

/** Reminder days typed as a list: "2, 4" or "2 4" (half days "1.5"); nothing typed is none. */
function daysOf(value: string): number[] {
  return value
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((d) => (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(d) ? Number(d) : Number.NaN));
}

/** The form as the campaigns service takes it: translation only, the service validates. */
export function inputOf(v: CampaignFormValues): CampaignInput {
  return {
    name: v.name.trim(),
    instrumentId: v.instrumentId || undefined,
    form: v.form as CampaignInput['form'],
    cadence: v.cadence as CampaignInput['cadence'],
    cron: v.cron || undefined,
    timezone: v.timezone,
    startsOn: v.startsOn,
    openDays: numberOf(v.openDays),
    reminderDays: daysOf(v.reminderDays),
    leaderSelfView: v.leaderSelfView,
    teamIds: [...new Set(v.teamIds)],
  };
}

/** A saved campaign as its edit form shows it. */
export function valuesOf(c: CampaignView): CampaignFormValues {
  return {
    name: c.name,
    instrumentId: c.instrumentId,
    form: c.form,
    cadence: c.cadence,
    cron: c.cron ?? '',
    timezone: c.timezone,
    startsOn: c.startsOn,
    openDays: String(c.openDays),
    reminderDays: c.reminderDays.join(', '),
    leaderSelfView: c.leaderSelfView,
    teamIds: c.teamIds,
  };
}

/** A new campaign's form: weekly, in the organisation's usual shape, starting tomorrow. */
export function defaultValues(today: string): CampaignFormValues {
  return {
    name: '',
    instrumentId: '',
    form: 'short',
    cadence: 'biweekly',
    cron: '',
    timezone: 'Europe/Berlin',
    startsOn: today,
    openDays: '5',
    reminderDays: '2, 4',
    leaderSelfView: true,
    teamIds: [],
  };
}

export const LABELS: Record<string, string> = {
  name: 'Name',
  instrumentId: 'Questionnaire',
  form: 'Form',
  cadence: 'Cadence',
  cron: 'Cron expression',
  timezone: 'Time zone',
  startsOn: 'First day',
  openDays: 'Days open',
  reminderDays: 'Reminder days',
  leaderSelfView: 'Leader self-view',
  teamIds: 'Teams',
};

/**
 * Problems as the page says them: on the form's own fields ("reminderDays[1]" is the reminder
 * days field), the field's label first, so the summary reads on its own.
 */
export function readable(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => {
    const field = p.field.replace(/\[\d+\]$/, '');
    const index = /\[(\d+)\]$/.exec(p.field)?.[1];
    const label = LABELS[field] ?? field;
    const which = index !== undefined ? ` (the ${ordinal(Number(index) + 1)} one)` : '';
    const message = p.message.replace(/^teamIds: /, '');
    return { field, message: `${label}${which}: ${message}` };
  });
}

function ordinal(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth'][n - 1] ?? `#${n}`;
}
