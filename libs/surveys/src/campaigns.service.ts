import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalid, notFound, type FieldProblem } from '@trellis/errors';
import { InstrumentsService } from './instruments.service';
import {
  isValidCron,
  isValidTimezone,
  type Cadence,
  type CampaignSchedule,
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
  ) {}

  async create(
    organisationId: string,
    createdBy: string,
    input: CampaignInput,
  ): Promise<CampaignView> {
    this.checkSchedule(input);
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
      const found = new Set(teams.map((t) => t.id));
      const missing = input.teamIds.filter((t) => !found.has(t));
      if (missing.length)
        throw invalid({
          field: 'teamIds',
          message: `not teams of this organisation: ${missing.join(', ')}`,
        });
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
      `with recursive led as (
         select m.unit_id as id from membership m where m.person_id = $2 and m.role = 'leader'
         union select u.id from unit u join led on u.parent_id = led.id)
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

  async update(
    campaignId: string,
    input: { name?: string; active?: boolean; reminderDays?: number[] },
  ): Promise<CampaignView> {
    const current = await this.get(campaignId);
    if (input.reminderDays) this.checkSchedule({ ...current, reminderDays: input.reminderDays });
    await this.db.query(
      `update campaign set name = coalesce($2, name), active = coalesce($3, active),
         reminder_days = coalesce($4::numeric[], reminder_days), updated_at = now() where id = $1`,
      [
        campaignId,
        input.name ?? null,
        input.active ?? null,
        input.reminderDays ? [...input.reminderDays].sort((a, b) => a - b) : null,
      ],
    );
    return this.get(campaignId);
  }

  /** Active campaigns with their schedules, for the scheduler. */
  async active(): Promise<CampaignView[]> {
    return this.db.query(`${VIEW} where c.active order by c.id`);
  }

  private checkSchedule(
    input: Pick<CampaignInput, 'cadence' | 'timezone' | 'openDays' | 'reminderDays'> & {
      cron?: string | null;
    },
  ): void {
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
    input.reminderDays.forEach((d, i) => {
      if (!(d > 0 && d < input.openDays))
        problems.push({
          field: `reminderDays[${i}]`,
          message: 'must fall while the round is open',
        });
    });
    if (problems.length) throw invalid(problems);
  }
}
