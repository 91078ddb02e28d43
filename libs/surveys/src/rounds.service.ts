import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { returning } from '@trellis/database';
import { organisationAnonymity } from '@trellis/anonymity';
import { notFound } from '@trellis/errors';
import { anonymityOf } from '@trellis/organisation';
import { CampaignsService, type CampaignView } from './campaigns.service';
import { formItems } from './instrument';
import { InstrumentsService } from './instruments.service';
import { earlierRoundArrived, oldestStaleRounds, type StaleRound } from './results-basis';
import { ResponseMixer } from './response-mixer';
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
  status: 'open' | 'closed';
  source: 'schedule' | 'import';
  form: string;
  sequence: number;
  periodStart: string;
  periodEnd: string;
  opensAt: Date;
  closesAt: Date;
  closedAt: Date | null;
  itemKeys: string[];
  remindersSent: number;
  teams: RoundTeamView[];
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
}

const ROUND = `select r.id, r.organisation_id as "organisationId", r.campaign_id as "campaignId", r.status, r.source, r.form,
  r.sequence, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd",
  r.opens_at as "opensAt", r.closes_at as "closesAt", r.closed_at as "closedAt", r.item_keys as "itemKeys",
  r.reminders_sent as "remindersSent"
  from round r`;

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
    return {
      open: open.filter((o) => !have.has(`${o.campaignId}|${o.opensAt}`)),
      invite: rounds.filter((r) => r.unsent && r.closesAt > now).map((r) => r.id),
      // Only the latest due reminder matters; earlier ones are folded into it.
      remind: remind.filter((r, i, all) => !all.some((o, j) => j > i && o.roundId === r.roundId)),
      close: rounds.filter((r) => r.closesAt <= now).map((r) => r.id),
      aggregate,
      mix: pooled
        .filter(
          (p) =>
            p.status !== 'open' ||
            p.waiting >= organisationAnonymity(p.settings).minGroupSize,
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
    const [round] = await this.db.query<Omit<RoundView, 'teams'>[]>(`${ROUND} where r.id = $1`, [
      roundId,
    ]);
    if (!round) throw notFound('round');
    const teams = await this.db.query<RoundTeamView[]>(
      `select rt.unit_id as "unitId", u.name, rt.invited,
              (select count(*) from participation p where p.round_id = rt.round_id and p.unit_id = rt.unit_id
                 and p.kind = 'member')::int as answered
         from round_team rt join unit u on u.id = rt.unit_id where rt.round_id = $1 order by u.name`,
      [roundId],
    );
    // While open, a count that moved by one would say when someone answered (and, next to their
    // own knowledge, who): counts move in whole steps of k, for every viewer. Exact once closed.
    const k = round.status === 'open' ? (await anonymityOf(this.db, round.organisationId)).minGroupSize : 1;
    return {
      ...round,
      teams: teams.map((t) => {
        const answered = Math.floor(t.answered / k) * k;
        return { ...t, answered, responseRate: t.invited ? answered / t.invited : null };
      }),
    };
  }

  /** What to aggregate next: the oldest stale round of the given round's or organisation's results. */
  async staleRounds(
    scope: { organisationId?: string; roundId?: string } = {},
  ): Promise<StaleRound[]> {
    return oldestStaleRounds(this.db, scope);
  }

  async listForCampaign(campaignId: string): Promise<Omit<RoundView, 'teams'>[]> {
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
