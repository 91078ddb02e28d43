import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import {
  CALENDAR_DATE_MESSAGE,
  forbidden,
  invalid,
  isCalendarDate,
  notFound,
  type FieldProblem,
} from '@trellis/errors';
import { InstrumentsService } from './instruments.service';
import {
  CADENCES,
  isValidCron,
  isValidTimezone,
  nextPeriods,
  type Cadence,
  type CampaignSchedule,
  type Period,
} from './schedule/cadence';

export interface CampaignInput {
  name: string;
  instrumentId?: string;
  form: 'short' | 'full';
  cadence: Cadence;
  cron?: string;
  timezone: string;
  openDays: number;
  reminderDays: number[];
  leaderSelfView: boolean;
  startsOn: string;
  teamIds: string[];
}

export interface CampaignView extends CampaignSchedule {
  id: string;
  organisationId: string;
  name: string;
  instrumentId: string;
  form: 'short' | 'full';
  leaderSelfView: boolean;
  active: boolean;
  teamIds: string[];
  createdAt: Date;
}

/** A campaign as people read it: with the next rounds its schedule would open (none while paused). */
export interface CampaignDetail extends CampaignView {
  nextRounds: Period[];
}

/** What an edit may change: everything but the instrument, which a campaign's trends rest on. */
export type CampaignChanges = Partial<Omit<CampaignInput, 'instrumentId'>> & { active?: boolean };

/** The signed-in person (or their API token) making a change. */
export type CampaignActor = Parameters<typeof actorOf>[0];

/** How many upcoming rounds a campaign shows. */
export const PREVIEW_ROUNDS = 5;

/** A round stays open from one second to 90 days. */
const openDaysValid = (d: number) => Number.isFinite(d) && d >= 1 / 86_400 && d <= 90;

const LED_UNITS = `with recursive led as (
  select m.unit_id as id from membership m where m.person_id = $2 and m.role = 'leader'
  union select u.id from unit u join led on u.parent_id = led.id)`;

const VIEW = `select c.id, c.organisation_id as "organisationId", c.name, c.instrument_id as "instrumentId", c.form,
  c.cadence, c.cron, c.timezone, c.open_days::float8 as "openDays",
  coalesce(c.reminder_days::float8[], '{}') as "reminderDays", c.leader_self_view as "leaderSelfView",
  to_char(c.starts_on, 'YYYY-MM-DD') as "startsOn", c.active, c.created_at as "createdAt",
  coalesce(array(select t.unit_id from campaign_team t where t.campaign_id = c.id order by t.unit_id), '{}') as "teamIds"
  from campaign c`;

/** Who may see a campaign: the organisation, or a leader, whose campaigns touch a team they lead. */
export type CampaignScope = { kind: 'organisation' } | { kind: 'leader'; personId: string };

@Injectable()
export class CampaignsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly instruments: InstrumentsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * A person starts a campaign: HR or an admin for any teams, a leader only for teams they lead
   * (or that sit below them). Checked, written and audited as one use case for every adapter.
   */
  async start(
    organisationId: string,
    actor: CampaignActor,
    scope: CampaignScope,
    input: CampaignInput,
  ): Promise<CampaignDetail> {
    this.checkInput(input);
    await this.checkTeamsInScope(scope, input.teamIds);
    const created = await this.create(organisationId, actor.personId, input);
    await this.audit.record(actorOf(actor), {
      action: 'campaign.create',
      targetKind: 'campaign',
      targetId: created.id,
      detail: { name: created.name, teamIds: created.teamIds, cadence: created.cadence },
    });
    return this.withNextRounds(created);
  }

  /**
   * A person changes a campaign: its settings, its teams, or pauses or resumes it. Only future
   * rounds follow the change; an open round keeps the schedule it opened with.
   */
  async change(
    campaignId: string,
    actor: CampaignActor,
    scope: CampaignScope,
    changes: CampaignChanges,
  ): Promise<CampaignDetail> {
    const current = await this.get(campaignId);
    const next: CampaignInput = {
      name: changes.name ?? current.name,
      form: changes.form ?? current.form,
      cadence: changes.cadence ?? current.cadence,
      cron:
        changes.cadence !== undefined || changes.cron !== undefined
          ? changes.cron
          : (current.cron ?? undefined),
      timezone: changes.timezone ?? current.timezone,
      openDays: changes.openDays ?? current.openDays,
      reminderDays: changes.reminderDays ?? current.reminderDays,
      leaderSelfView: changes.leaderSelfView ?? current.leaderSelfView,
      startsOn: changes.startsOn ?? current.startsOn,
      teamIds: changes.teamIds ?? current.teamIds,
    };
    this.checkInput(next);
    if (changes.teamIds) await this.checkTeamsInScope(scope, changes.teamIds);
    await this.db.transaction(async (tx) => {
      if (changes.teamIds) {
        const teams = await tx.query<{ id: string }[]>(
          `select id from unit where organisation_id = $1 and kind = 'team' and id = any($2::uuid[])`,
          [current.organisationId, next.teamIds],
        );
        this.checkTeamsFound(next.teamIds, teams);
        await tx.query(`delete from campaign_team where campaign_id = $1`, [campaignId]);
        await tx.query(
          `insert into campaign_team (organisation_id, campaign_id, unit_id) select $1, $2, unnest($3::uuid[])`,
          [current.organisationId, campaignId, next.teamIds],
        );
      }
      await tx.query(
        `update campaign set name = $2, form = $3, cadence = $4, cron = $5, timezone = $6, open_days = $7,
           reminder_days = $8, leader_self_view = $9, starts_on = $10, active = $11, updated_at = now()
         where id = $1`,
        [
          campaignId,
          next.name,
          next.form,
          next.cadence,
          next.cadence === 'cron' ? next.cron : null,
          next.timezone,
          next.openDays,
          [...next.reminderDays].sort((a, b) => a - b),
          next.leaderSelfView,
          next.startsOn,
          changes.active ?? current.active,
        ],
      );
    });
    const changed = Object.keys(changes).filter(
      (k) =>
        (changes as Record<string, unknown>)[k] !== undefined &&
        JSON.stringify((changes as Record<string, unknown>)[k]) !==
          JSON.stringify((current as unknown as Record<string, unknown>)[k]),
    );
    const onlyActive = changed.length === 1 && changed[0] === 'active';
    await this.audit.record(actorOf(actor), {
      action: onlyActive
        ? changes.active
          ? 'campaign.resume'
          : 'campaign.pause'
        : 'campaign.update',
      targetKind: 'campaign',
      targetId: campaignId,
      detail: { name: next.name, changed },
    });
    return this.detail(campaignId);
  }

  /**
   * Pauses or resumes a campaign for the system itself (the demo keeping its pulse running at
   * start-up); a person's pause or resume goes through `change`, which checks scope and audits.
   */
  async setActive(campaignId: string, active: boolean): Promise<CampaignView> {
    await this.db.query(`update campaign set active = $2, updated_at = now() where id = $1`, [
      campaignId,
      active,
    ]);
    return this.get(campaignId);
  }

  /** A campaign with its next rounds, for people. */
  async detail(campaignId: string): Promise<CampaignDetail> {
    return this.withNextRounds(await this.get(campaignId));
  }

  /** Campaigns the scope may see, each with its next rounds. */
  async overview(organisationId: string, scope: CampaignScope): Promise<CampaignDetail[]> {
    const now = new Date();
    return (await this.list(organisationId, scope)).map((c) => this.withNextRounds(c, now));
  }

  /** The rounds a schedule would open, for a draft not saved yet (checked first). */
  preview(input: CampaignInput, now = new Date()): Period[] {
    this.checkInput(input);
    return nextPeriods(this.scheduleOf(input), now, PREVIEW_ROUNDS);
  }

  private withNextRounds(c: CampaignView, now = new Date()): CampaignDetail {
    return { ...c, nextRounds: c.active ? nextPeriods(c, now, PREVIEW_ROUNDS) : [] };
  }

  private scheduleOf(input: CampaignInput): CampaignSchedule {
    return {
      cadence: input.cadence,
      cron: input.cadence === 'cron' ? (input.cron ?? null) : null,
      timezone: input.timezone,
      startsOn: input.startsOn,
      openDays: input.openDays,
      reminderDays: input.reminderDays,
    };
  }

  private async checkTeamsInScope(scope: CampaignScope, teamIds: string[]): Promise<void> {
    if (scope.kind === 'organisation') return;
    const rows = await this.db.query<{ id: string }[]>(
      `${LED_UNITS} select id from led where id = any($1::uuid[])`,
      [teamIds, scope.personId],
    );
    const mine = new Set(rows.map((r) => r.id));
    if (teamIds.some((id) => !mine.has(id)))
      throw forbidden('teamIds: a leader can run campaigns only for the teams they lead');
  }

  private checkTeamsFound(teamIds: string[], found: { id: string }[]): Set<string> {
    const ids = new Set(found.map((t) => t.id));
    const missing = teamIds.filter((t) => !ids.has(t));
    if (missing.length)
      throw invalid({
        field: 'teamIds',
        message: `not teams of this organisation: ${missing.join(', ')}`,
      });
    return ids;
  }

  /** Every field of a campaign, each problem named by its field, before anything is written. */
  private checkInput(input: CampaignInput): void {
    const problems: FieldProblem[] = [];
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) problems.push({ field: 'name', message: 'is needed: give the campaign a name' });
    else if (name.length > 200)
      problems.push({ field: 'name', message: 'must be at most 200 characters' });
    if (!['short', 'full'].includes(input.form))
      problems.push({ field: 'form', message: 'must be short or full' });
    if (!(CADENCES as readonly string[]).includes(input.cadence))
      problems.push({ field: 'cadence', message: `must be one of ${CADENCES.join(', ')}` });
    if (!openDaysValid(input.openDays))
      problems.push({ field: 'openDays', message: 'must be a number of days from 1 to 90' });
    if (!Array.isArray(input.reminderDays) || input.reminderDays.length > 5)
      problems.push({ field: 'reminderDays', message: 'can be at most five days' });
    else if (input.reminderDays.some((d) => !Number.isFinite(d)))
      problems.push({ field: 'reminderDays', message: 'must be numbers of days, like 2, 4' });
    if (!isCalendarDate(input.startsOn))
      problems.push({ field: 'startsOn', message: CALENDAR_DATE_MESSAGE });
    if (!Array.isArray(input.teamIds) || input.teamIds.length === 0)
      problems.push({ field: 'teamIds', message: 'pick at least one team' });
    problems.push(...this.scheduleProblems(input));
    if (problems.length) throw invalid(problems);
  }

  async create(
    organisationId: string,
    createdBy: string,
    input: CampaignInput,
  ): Promise<CampaignView> {
    this.checkInput(input);
    const instrumentId = input.instrumentId ?? (await this.instruments.builtInId());
    const id = await this.db.transaction(async (tx) => {
      const [instrument] = await tx.query<unknown[]>(
        `select 1 from instrument where id = $1 and (organisation_id is null or organisation_id = $2)`,
        [instrumentId, organisationId],
      );
      if (!instrument)
        throw invalid({
          field: 'instrumentId',
          message: 'no such instrument in this organisation',
        });
      const teams = await tx.query<{ id: string }[]>(
        `select id from unit where organisation_id = $1 and kind = 'team' and id = any($2::uuid[])`,
        [organisationId, input.teamIds],
      );
      const found = this.checkTeamsFound(input.teamIds, teams);
      const [row] = await tx.query<{ id: string }[]>(
        `insert into campaign (organisation_id, name, instrument_id, form, cadence, cron, timezone, open_days,
           reminder_days, leader_self_view, starts_on, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
        [
          organisationId,
          input.name,
          instrumentId,
          input.form,
          input.cadence,
          input.cadence === 'cron' ? input.cron : null,
          input.timezone,
          input.openDays,
          [...input.reminderDays].sort((a, b) => a - b),
          input.leaderSelfView,
          input.startsOn,
          createdBy,
        ],
      );
      await tx.query(
        `insert into campaign_team (organisation_id, campaign_id, unit_id) select $1, $2, unnest($3::uuid[])`,
        [organisationId, row.id, [...found]],
      );
      return row.id;
    });
    return this.get(id);
  }

  async list(organisationId: string, scope: CampaignScope): Promise<CampaignView[]> {
    if (scope.kind === 'organisation') {
      return this.db.query(
        `${VIEW} where c.organisation_id = $1 order by c.created_at desc, c.id`,
        [organisationId],
      );
    }
    return this.db.query(
      `${LED_UNITS}
       ${VIEW} where c.organisation_id = $1
         and not exists (select 1 from campaign_team t where t.campaign_id = c.id and t.unit_id not in (select id from led))
       order by c.created_at desc, c.id`,
      [organisationId, scope.personId],
    );
  }

  async get(campaignId: string): Promise<CampaignView> {
    const [row] = await this.db.query<CampaignView[]>(`${VIEW} where c.id = $1`, [campaignId]);
    if (!row) throw notFound('campaign');
    return row;
  }

  /** Active campaigns with their schedules, for the scheduler. */
  async active(): Promise<CampaignView[]> {
    return this.db.query(`${VIEW} where c.active order by c.id`);
  }

  private scheduleProblems(
    input: Pick<CampaignInput, 'cadence' | 'timezone' | 'openDays' | 'reminderDays'> & {
      cron?: string | null;
    },
  ): FieldProblem[] {
    const problems: FieldProblem[] = [];
    if (!isValidTimezone(input.timezone))
      problems.push({
        field: 'timezone',
        message: 'is not an IANA time zone (e.g. Europe/Berlin)',
      });
    if (input.cadence === 'cron' && (!input.cron || !isValidCron(input.cron))) {
      problems.push({
        field: 'cron',
        message: 'must be a valid cron expression when cadence is "cron"',
      });
    }
    if (input.cadence !== 'cron' && input.cron)
      problems.push({ field: 'cron', message: 'is only for cadence "cron"' });
    // Reminders are checked against a round's length only once that length is a valid one.
    const days = openDaysValid(input.openDays) && Array.isArray(input.reminderDays);
    (days ? input.reminderDays : []).forEach((d, i) => {
      if (Number.isFinite(d) && !(d > 0 && d < input.openDays))
        problems.push({
          field: `reminderDays[${i}]`,
          message: 'must fall while the round is open',
        });
    });
    return problems;
  }
}
