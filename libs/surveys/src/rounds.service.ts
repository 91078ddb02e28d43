import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returning } from '@trellis/database';
import { liveParticipation, organisationAnonymity } from '@trellis/anonymity';
import { conflict, notFound } from '@trellis/errors';
import { anonymityOf } from '@trellis/organisation';
import { CampaignsService, type CampaignView } from './campaigns.service';
import { formItems } from './instrument';
import { InstrumentsService } from './instruments.service';
import {
  openRoundsSql,
  ROUND,
  type LiveRoundView,
  type RoundReminderView,
  type RoundScope,
  type RoundState,
} from './round-views';
import { earlierRoundArrived, oldestStaleRounds, type StaleRound } from './results-basis';
import { ResponseMixer } from './response-mixer';
import { REMIND_NOW_QUIET_MINUTES } from './invitations.service';
import { currentPeriod, reminderDue } from './schedule/cadence';

export interface RoundTeamView {
  unitId: string;
  name: string;
  invited: number;
  answered: number;
  responseRate: number | null;
}

export interface RoundView {
  id: string;
  organisationId: string;
  campaignId: string | null;
  /** null for an imported round without a campaign. */
  campaignName: string | null;
  /** The campaign's IANA time zone, in which its rounds open and close; null for an imported round. */
  timezone: string | null;
  status: 'open' | 'closed';
  state: RoundState;
  source: 'schedule' | 'import';
  form: string;
  sequence: number;
  periodStart: string;
  periodEnd: string;
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
  /** When someone asked to close it early ("close now"); null when it closed on schedule. */
  closeRequestedAt: Date | null;
  aggregatedAt: Date | null;
  itemKeys: string[];
  /** Scheduled reminders sent so far, of `remindersPlanned`. */
  remindersSent: number;
  remindersPlanned: number;
  teams: RoundTeamView[];
  /** While open, the step (the organisation's k) answered counts move in; null once closed. */
  answeredStep: number | null;
  /** Reminders asked for from the console, oldest first (when, and when they had gone out). */
  requestedReminders: RoundReminderView[];
  /** What a history import put in this round: members' answers and the teams they are in. */
  imported: { respondents: number; teams: number } | null;
}

export interface DueWork {
  open: { campaignId: string; opensAt: string }[];
  invite: string[];
  remind: { roundId: string; index: number }[];
  close: string[];
  /** The oldest round of each organisation whose results are missing or on an older basis. */
  aggregate: StaleRound[];
  /** Rounds whose pool holds a batch ready to mix: k while open, anything once closed. */
  mix: string[];
  /** Reminders asked for from the console and not yet gone through. */
  remindNow: string[];
}

@Injectable()
export class RoundsService {
  private readonly logger = new Logger(RoundsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly campaigns: CampaignsService,
    private readonly instruments: InstrumentsService,
    private readonly mixer: ResponseMixer,
  ) {}

  /** What the scheduler should queue now. Reads only; every action it names is idempotent. */
  async dueWork(now: Date): Promise<DueWork> {
    const open: DueWork['open'] = [];
    for (const campaign of await this.campaigns.active()) {
      const period = currentPeriod(campaign, now);
      if (period) open.push({ campaignId: campaign.id, opensAt: period.opensAt.toISOString() });
    }
    const existing = open.length
      ? await this.db.query<{ campaignId: string; opensAt: Date }[]>(
          `select campaign_id as "campaignId", opens_at as "opensAt"
             from round where campaign_id = any($1::uuid[])`,
          [open.map((o) => o.campaignId)],
        )
      : [];
    const have = new Set(existing.map((r) => `${r.campaignId}|${r.opensAt.toISOString()}`));

    const rounds = await this.db.query<
      {
        id: string;
        closesAt: Date;
        opensAt: Date;
        remindersSent: number;
        reminderDays: number[];
        unsent: boolean;
      }[]
    >(
      `select r.id, r.closes_at as "closesAt", r.opens_at as "opensAt", r.reminders_sent as "remindersSent",
              coalesce(c.reminder_days::float8[], '{}') as "reminderDays",
              exists (select 1 from invitation i where i.round_id = r.id and i.sent_at is null) as unsent
         from round r left join campaign c on c.id = r.campaign_id where r.status = 'open'`,
    );
    const remind: DueWork['remind'] = [];
    for (const r of rounds) {
      if (r.closesAt <= now) continue;
      for (let index = r.remindersSent; index < r.reminderDays.length; index++) {
        if (reminderDue(r, r.opensAt, index) <= now) remind.push({ roundId: r.id, index });
      }
    }
    const aggregate = await oldestStaleRounds(this.db);
    const pooled = await this.db.query<
      { id: string; status: string; waiting: number; settings: unknown }[]
    >(
      `select r.id, r.status, p.waiting, o.settings
         from (select round_id, count(*)::int as waiting from response_pool group by round_id) p
         join round r on r.id = p.round_id join organisation o on o.id = r.organisation_id`,
    );
    const remindNow = await this.db.query<{ id: string }[]>(
      `select id from round_reminder where sent_at is null order by requested_at`,
    );
    return {
      remindNow: remindNow.map((r) => r.id),
      open: open.filter((o) => !have.has(`${o.campaignId}|${o.opensAt}`)),
      invite: rounds.filter((r) => r.unsent && r.closesAt > now).map((r) => r.id),
      // Only the latest due reminder matters; earlier ones are folded into it.
      remind: remind.filter((r, i, all) => !all.some((o, j) => j > i && o.roundId === r.roundId)),
      close: rounds.filter((r) => r.closesAt <= now).map((r) => r.id),
      aggregate,
      mix: pooled
        .filter(
          (p) => p.status !== 'open' || p.waiting >= organisationAnonymity(p.settings).minGroupSize,
        )
        .map((p) => p.id),
    };
  }

  /**
   * Opens the campaign's round for a period, with its invitations, or does nothing if it exists.
   * The unique (campaign, period) key makes this safe with any number of workers.
   */
  async open(campaignId: string, opensAt: string, now = new Date()): Promise<string | null> {
    const campaign = await this.campaigns.get(campaignId).catch(() => null);
    if (!campaign?.active) return null;
    const period = currentPeriod(campaign, now);
    if (!period || period.opensAt.toISOString() !== opensAt) return null; // a late job for a period that is over
    return this.db.transaction(async (tx) => {
      await tx.query(`select 1 from campaign where id = $1 for update`, [campaignId]);
      const [{ sequence }] = await tx.query<{ sequence: number }[]>(
        `select count(*)::int as sequence from round where campaign_id = $1`,
        [campaignId],
      );
      const version = await this.instruments.versionForRound(tx, campaign.instrumentId);
      const items = formItems(version.definition, campaign.form, sequence).map((i) => i.key);
      // The leader answers the same statements as the team, so the two views compare item by item.
      const selfKeys = new Set(formItems(version.definition, 'self', sequence).map((i) => i.key));
      const selfItems = campaign.leaderSelfView ? items.filter((key) => selfKeys.has(key)) : [];
      const [round] = await tx.query<{ id: string }[]>(
        `insert into round (organisation_id, campaign_id, instrument_version_id, form, sequence, period_start, period_end,
           opens_at, closes_at, item_keys, self_item_keys, source)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'schedule')
         on conflict (campaign_id, opens_at) do nothing returning id`,
        [
          campaign.organisationId,
          campaignId,
          version.id,
          campaign.form,
          sequence,
          period.periodStart,
          period.periodEnd,
          period.opensAt,
          period.closesAt,
          items,
          selfItems,
        ],
      );
      if (!round) return null;
      await this.invitePeople(tx, campaign, round.id, selfItems.length > 0);
      this.logger.log({ roundId: round.id, campaignId, opensAt }, 'round opened');
      return round.id;
    });
  }

  /**
   * Closes a round: the pool empties into the answer tables whatever its size, before anything
   * can aggregate the round; links then answer 410.
   */
  async close(roundId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [round] = await returning<{ organisationId: string; periodStart: string }>(
        tx,
        `update round set status = 'closed', closed_at = now() where id = $1 and status = 'open'
         returning organisation_id as "organisationId", to_char(period_start, 'YYYY-MM-DD') as "periodStart"`,
        [roundId],
      );
      if (!round) return false;
      await this.mixer.mixIn(tx, roundId, true);
      await earlierRoundArrived(tx, round.organisationId, round.periodStart);
      return true;
    });
  }

  async get(roundId: string): Promise<RoundView> {
    const [round] = await this.db.query<
      Omit<RoundView, 'teams' | 'requestedReminders' | 'imported' | 'answeredStep'>[]
    >(`${ROUND} where r.id = $1`, [roundId]);
    if (!round) throw notFound('round');
    const teams = await this.db.query<(RoundTeamView & { imported: number })[]>(
      `select rt.unit_id as "unitId", u.name, rt.invited,
              (select count(*) from participation p where p.round_id = rt.round_id and p.unit_id = rt.unit_id
                 and p.kind = 'member')::int as answered,
              (select count(*) from response x where x.round_id = rt.round_id and x.unit_id = rt.unit_id
                 and x.kind = 'member' and x.source = 'import')::int as imported
         from round_team rt join unit u on u.id = rt.unit_id where rt.round_id = $1 order by u.name`,
      [roundId],
    );
    const requestedReminders = await this.db.query<RoundReminderView[]>(
      `select requested_at as "requestedAt", sent_at as "sentAt" from round_reminder
        where round_id = $1 order by requested_at`,
      [roundId],
    );
    const k = (await anonymityOf(this.db, round.organisationId)).minGroupSize;
    const importedCount = teams.reduce((sum, t) => sum + t.imported, 0);
    return {
      ...round,
      teams: teams.map((t) => ({
        unitId: t.unitId,
        name: t.name,
        ...liveParticipation(
          { invited: t.invited, answered: t.answered + t.imported },
          round.status === 'open',
          k,
        ),
      })),
      answeredStep: round.status === 'open' ? k : null,
      requestedReminders,
      imported: importedCount
        ? { respondents: importedCount, teams: teams.filter((t) => t.imported > 0).length }
        : null,
    };
  }

  /**
   * The open rounds of an organisation (or, for a leader, those that include one of their teams,
   * counted over their teams only), closing soonest first, with participation in steps of k.
   */
  async openRounds(organisationId: string, scope: RoundScope): Promise<LiveRoundView[]> {
    const rows = await this.db.query<
      (Omit<LiveRoundView, 'invited' | 'answered' | 'responseRate' | 'teamNames'> & {
        teams: { invited: number; answered: number; name: string }[];
      })[]
    >(openRoundsSql(scope), [organisationId, scope.kind === 'leader' ? scope.personId : null]);
    if (!rows.length) return [];
    const k = (await anonymityOf(this.db, organisationId)).minGroupSize;
    return rows.map(({ teams, ...round }) => {
      const shown = teams.map((t) => liveParticipation(t, true, k));
      const invited = shown.reduce((sum, t) => sum + t.invited, 0);
      const answered = shown.reduce((sum, t) => sum + t.answered, 0);
      return {
        ...round,
        invited,
        answered,
        responseRate: invited ? answered / invited : null,
        teamNames: scope.kind === 'leader' ? teams.map((t) => t.name) : [],
      };
    });
  }

  /**
   * "Close now": the round's closing moves to now, and the scheduled close (the worker's
   * `round.close`, which the tick and the reconciler queue for every open round past its closing)
   * does the rest, aggregation included. Repeating it while the close is under way changes
   * nothing; a closed round is a conflict.
   */
  async requestClose(
    tx: Pick<import('typeorm').EntityManager, 'query'>,
    roundId: string,
  ): Promise<{ requested: boolean; closesAt: Date }> {
    const [moved] = await returning<{ closesAt: Date }>(
      tx,
      `update round set close_requested_at = now(),
              closes_at = least(closes_at, greatest(now(), opens_at + interval '1 millisecond'))
        where id = $1 and status = 'open' and close_requested_at is null and closes_at > now()
        returning closes_at as "closesAt"`,
      [roundId],
    );
    if (moved) return { requested: true, closesAt: moved.closesAt };
    const [round] = await tx.query<{ status: string; closesAt: Date; closedAt: Date | null }[]>(
      `select status, closes_at as "closesAt", closed_at as "closedAt" from round where id = $1`,
      [roundId],
    );
    if (!round) throw notFound('round');
    if (round.status === 'closed')
      throw conflict(
        'roundId',
        `the round is already closed (since ${(round.closedAt ?? round.closesAt).toISOString()}); nothing was changed`,
      );
    return { requested: false, closesAt: round.closesAt };
  }

  /**
   * "Send a reminder now", recorded for the worker (`round.remind-now`). Within
   * REMIND_NOW_QUIET_MINUTES of the last request for the round, that request is the answer and
   * nothing new is recorded. Only an open round, not already closing, takes reminders.
   */
  async requestReminder(
    tx: Pick<import('typeorm').EntityManager, 'query'>,
    roundId: string,
    requestedBy: string | null,
  ): Promise<{ reminderId: string; requestedAt: Date; sentAt: Date | null; repeated: boolean }> {
    const [round] = await tx.query<{ status: string; closing: boolean; organisationId: string }[]>(
      `select status, (close_requested_at is not null or closes_at <= now()) as closing,
              organisation_id as "organisationId"
         from round where id = $1 for update`,
      [roundId],
    );
    if (!round) throw notFound('round');
    if (round.status !== 'open' || round.closing)
      throw conflict('roundId', 'the round is closed or closing: reminders go only to open rounds');
    const [recent] = await tx.query<{ id: string; requestedAt: Date; sentAt: Date | null }[]>(
      `select id, requested_at as "requestedAt", sent_at as "sentAt" from round_reminder
        where round_id = $1 and requested_at > now() - make_interval(mins => $2)
        order by requested_at desc limit 1`,
      [roundId, REMIND_NOW_QUIET_MINUTES],
    );
    if (recent)
      return {
        reminderId: recent.id,
        requestedAt: recent.requestedAt,
        sentAt: recent.sentAt,
        repeated: true,
      };
    const [created] = await tx.query<{ id: string; requestedAt: Date }[]>(
      `insert into round_reminder (organisation_id, round_id, requested_by) values ($1, $2, $3)
       returning id, requested_at as "requestedAt"`,
      [round.organisationId, roundId, requestedBy],
    );
    return {
      reminderId: created.id,
      requestedAt: created.requestedAt,
      sentAt: null,
      repeated: false,
    };
  }

  /** What to aggregate next: the oldest stale round of the given round's or organisation's results. */
  async staleRounds(
    scope: { organisationId?: string; roundId?: string; after?: string } = {},
  ): Promise<StaleRound[]> {
    return oldestStaleRounds(this.db, scope);
  }

  async listForCampaign(
    campaignId: string,
  ): Promise<Omit<RoundView, 'teams' | 'requestedReminders' | 'imported' | 'answeredStep'>[]> {
    return this.db.query(`${ROUND} where r.campaign_id = $1 order by r.period_start desc`, [
      campaignId,
    ]);
  }

  private async invitePeople(
    tx: import('typeorm').EntityManager,
    campaign: CampaignView,
    roundId: string,
    selfView: boolean,
  ): Promise<void> {
    await tx.query(
      `insert into round_team (organisation_id, round_id, unit_id, invited)
       select $1, $2, t.unit_id,
              (select count(*) from membership m join person p on p.id = m.person_id
                where m.unit_id = t.unit_id and m.role = 'member' and p.deactivated_at is null)
         from campaign_team t where t.campaign_id = $3`,
      [campaign.organisationId, roundId, campaign.id],
    );
    await tx.query(
      `insert into invitation (organisation_id, round_id, unit_id, person_id, kind)
       select $1, $2, m.unit_id, m.person_id, case m.role when 'member' then 'member' else 'leader_self' end
         from membership m join campaign_team t on t.unit_id = m.unit_id
         join person p on p.id = m.person_id
        where t.campaign_id = $3 and (m.role = 'member' or $4) and p.deactivated_at is null`,
      [campaign.organisationId, roundId, campaign.id, selfView],
    );
  }
}
