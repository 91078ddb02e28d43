import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthService } from '@trellis/identity';
import {
  anonymityOf,
  OrganisationsService,
  PeopleService,
  RosterImportService,
} from '@trellis/organisation';
import { AggregationService } from '@trellis/aggregation';
import { DomainError } from '@trellis/errors';
import { ConversationsService } from '@trellis/reporting';
import {
  AnswerSealer,
  CampaignsService,
  CONVERSATION_TOKEN_PREFIX,
  HistoryImportService,
  InstrumentsService,
  InvitationsService,
  ParticipationReader,
  RoundsService,
  type CampaignView,
} from '@trellis/surveys';
import { demoHistory } from './demo-history';
import { DEMO_DOMAIN, DEMO_TEAMS, demoRosterCsv, leaderEmail } from './demo-roster';

export const DEMO_SLUG = 'demo';
export const DEMO_PASSWORD = 'trellis-demo';
export const DEMO_CAMPAIGN = 'Weekly team pulse';

export interface DemoLogin {
  email: string;
  role: string;
}

/** The demo's open round and a few fresh answer links into it, for `npm start` to print. */
export interface DemoRound {
  campaignName: string;
  closesAt: Date;
  timezone: string;
  links: { name: string; teamName: string; url: string }[];
}

/** How many answer links `npm start` prints (members of one team who have not answered). */
const PRINTED_LINKS = 3;

/** The team whose member's comment, in the latest imported round, has a conversation. */
const CONVERSATION_TEAM = 'sales-emea';
const LEADER_REPLY =
  'Thank you for writing this. You are right that I have not been around enough; from next week I am keeping Thursday afternoons free for the team. What would help most in that time?';
const AUTHOR_ANSWER =
  'Thanks for answering. Going through blockers together before the week runs away would help most.';

/** Creates (or brings up to date) the demo organisation; running it again changes nothing. */
@Injectable()
export class DemoService {
  private readonly logger = new Logger(DemoService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly organisations: OrganisationsService,
    private readonly people: PeopleService,
    private readonly roster: RosterImportService,
    private readonly auth: AuthService,
    private readonly instruments: InstrumentsService,
    private readonly campaigns: CampaignsService,
    private readonly history: HistoryImportService,
    private readonly aggregation: AggregationService,
    private readonly rounds: RoundsService,
    private readonly invitations: InvitationsService,
    private readonly participation: ParticipationReader,
    private readonly sealer: AnswerSealer,
    private readonly conversations: ConversationsService,
  ) {}

  /**
   * `conversation`: the conversation link (`trl_c_…`, the part after `/c/`) of the Sales EMEA
   * member whose comment their leader answered, for `npm start` to print; null when the history
   * was imported before the demo had one.
   */
  async seed(): Promise<{
    organisationId: string;
    logins: DemoLogin[];
    conversation: string | null;
  }> {
    const existing = await this.organisations.findBySlug(DEMO_SLUG);
    const organisationId =
      existing?.id ??
      (await this.organisations.create({ slug: DEMO_SLUG, name: 'Northwind (demo)' })).id;
    const summary = await this.roster.import(organisationId, demoRosterCsv() + this.staffRows());
    this.logger.log({ summary }, 'demo roster imported');

    const logins: DemoLogin[] = [
      { email: `admin@${DEMO_DOMAIN}`, role: 'admin' },
      { email: `hr@${DEMO_DOMAIN}`, role: 'hr' },
      ...DEMO_TEAMS.map((t) => ({ email: leaderEmail(t.key), role: `leader of ${t.name}` })),
    ];
    for (const login of logins) {
      const [person]: { id: string; hasPassword: boolean }[] = await this.db.query(
        `select id, password_hash is not null as "hasPassword" from person where organisation_id = $1 and email = $2`,
        [organisationId, login.email],
      );
      // Keep a password someone changed on purpose.
      if (!person.hasPassword) await this.auth.setPassword(person.id, DEMO_PASSWORD);
      if (login.role === 'admin' || login.role === 'hr')
        await this.people.setRoles(person.id, [login.role]);
    }
    await this.ensureCampaign(organisationId);
    await this.ensureHistory(organisationId);
    const conversation = await this.ensureConversation(organisationId);
    return { organisationId, logins, conversation };
  }

  /**
   * Makes sure a demo round is open now, whenever and however often the demo is started: the
   * current week's round is opened here if the worker has not yet (a restart days later), a paused
   * demo campaign is resumed, and if someone closed this week's round early ("close now"), the
   * pulse continues as a new campaign with the same schedule (the old one paused), whose round for
   * this week opens at once. Returns the round with a few fresh answer links.
   */
  async openRound(organisationId: string, now = new Date()): Promise<DemoRound | null> {
    const demo = (await this.campaigns.list(organisationId, { kind: 'organisation' })).filter((c) =>
      c.name.startsWith(DEMO_CAMPAIGN),
    );
    let campaign = demo.find((c) => c.active) ?? demo.find((c) => c.name === DEMO_CAMPAIGN);
    if (!campaign) return null;
    if (!campaign.active) campaign = await this.campaigns.setActive(campaign.id, true);
    let current = await this.currentRound(campaign, now);
    if (current === 'closed early') {
      const admin = await this.personId(organisationId, `admin@${DEMO_DOMAIN}`);
      const next = await this.campaigns.create(organisationId, admin, {
        name: `${DEMO_CAMPAIGN} (from ${now.toISOString().slice(0, 10)})`,
        instrumentId: campaign.instrumentId,
        form: campaign.form,
        cadence: campaign.cadence,
        ...(campaign.cron ? { cron: campaign.cron } : {}),
        timezone: campaign.timezone,
        openDays: campaign.openDays,
        reminderDays: campaign.reminderDays,
        leaderSelfView: campaign.leaderSelfView,
        startsOn: campaign.startsOn,
        teamIds: campaign.teamIds,
      });
      await this.campaigns.setActive(campaign.id, false);
      campaign = next;
      current = await this.currentRound(campaign, now);
    }
    if (!current || current === 'closed early') return null;
    const { roundId } = current;
    const [round] = await this.db.query<{ closesAt: Date }[]>(
      `select closes_at as "closesAt" from round where id = $1`,
      [roundId],
    );
    const answered = new Set(await this.participation.answeredInvitationIds(this.db, roundId));
    const invitations = await this.db.query<{ id: string; name: string; teamName: string }[]>(
      `select i.id, p.name, u.name as "teamName" from invitation i
         join person p on p.id = i.person_id join unit u on u.id = i.unit_id
        where i.round_id = $1 and i.kind = 'member' and u.key = 'platform' order by p.email`,
      [roundId],
    );
    const links: DemoRound['links'] = [];
    for (const invitation of invitations.filter((i) => !answered.has(i.id))) {
      if (links.length === PRINTED_LINKS) break;
      links.push({
        name: invitation.name,
        teamName: invitation.teamName,
        url: await this.invitations.issueLink(invitation.id),
      });
    }
    return {
      campaignName: campaign.name,
      closesAt: round.closesAt,
      timezone: campaign.timezone,
      links,
    };
  }

  /** The campaign's round for the current period, opened if it is not there yet. */
  private async currentRound(
    campaign: CampaignView,
    now: Date,
  ): Promise<{ roundId: string } | 'closed early' | null> {
    const due = (await this.rounds.dueWork(now)).open.find((o) => o.campaignId === campaign.id);
    if (due) await this.rounds.open(campaign.id, due.opensAt, now);
    const [latest] = await this.db.query<{ id: string; open: boolean; early: boolean }[]>(
      `select id, status = 'open' and closes_at > $2 and close_requested_at is null as open,
              close_requested_at is not null as early
         from round where campaign_id = $1 order by opens_at desc limit 1`,
      [campaign.id, now],
    );
    if (!latest) return null;
    if (latest.open) return { roundId: latest.id };
    // Nothing new was due, so this is the current period's round: closed before its time. (The
    // demo's rounds are open all week, so there is no gap between periods to mistake for that.)
    return latest.early && !due ? 'closed early' : null;
  }

  private async personId(organisationId: string, email: string): Promise<string> {
    const [person] = await this.db.query<{ id: string }[]>(
      `select id from person where organisation_id = $1 and email = $2`,
      [organisationId, email],
    );
    return person.id;
  }

  /** Past rounds to look at, imported and aggregated the way a customer's history would be. */
  private async ensureHistory(organisationId: string): Promise<void> {
    const [{ imported }] = await this.db.query<{ imported: number }[]>(
      `select count(*)::int as imported from round where organisation_id = $1 and source = 'import'`,
      [organisationId],
    );
    if (imported > 0) return;
    const { minCommentGroup } = await anonymityOf(this.db, organisationId);
    const rounds = demoHistory(new Date(), undefined, minCommentGroup);
    for (const [n, round] of rounds.entries()) {
      // One Sales EMEA commenter of the latest round gets a conversation link, as a pulse
      // submission with a comment would.
      const author =
        n === rounds.length - 1
          ? round.teams.findIndex((team, i) => team === CONVERSATION_TEAM && round.comments[i])
          : -1;
      const conversations = round.teams.map((_, i) =>
        i === author ? this.conversationToken(organisationId) : null,
      );
      // Comments ride with the answers through the same sealed, shuffled path a pulse uses.
      const { roundId } = await this.history.import(
        organisationId,
        round.csv,
        { periodStart: round.periodStart, periodEnd: round.periodEnd },
        { comments: round.comments, conversations },
      );
      // In order, so each round's "declining" check sees the rounds before it.
      await this.aggregation.aggregate(roundId);
    }
  }

  /**
   * The demo author's link, the same on every start so it can be printed each time: derived
   * under the application's key, so it is as unguessable as a random link without that key.
   */
  private conversationToken(organisationId: string): string {
    const bits = this.sealer.conversationHash(`demo author\0${organisationId}`);
    return CONVERSATION_TOKEN_PREFIX + bits.toString('base64url');
  }

  /**
   * Sales EMEA's leader replies to the demo author's first comment and the author answers,
   * through the same use cases as the comments page and the author's `/c/:token` page; once.
   */
  private async ensureConversation(organisationId: string): Promise<string | null> {
    const token = this.conversationToken(organisationId);
    const view = await this.conversations.authorView(token).catch((error: unknown) => {
      // A demo whose history was imported before it had a conversation: nothing to add to.
      if (error instanceof DomainError && error.code === 'not_found') return null;
      throw error;
    });
    if (!view || view.comments.some((c) => c.replies.length > 0)) return view ? token : null;
    const [team] = await this.db.query<{ id: string; name: string }[]>(
      `select id, name from unit where organisation_id = $1 and key = $2`,
      [organisationId, CONVERSATION_TEAM],
    );
    const [comment] = view.comments;
    // Read at the team with the demo's default minimum; under another the leader may not read it.
    if (comment.readAt !== team.name) return token;
    const email = leaderEmail(CONVERSATION_TEAM);
    const [round] = await this.db.query<{ id: string }[]>(
      `select round_id as id from comment where conversation = $1`,
      [this.sealer.conversationHash(token)],
    );
    await this.conversations.reply(
      team.id,
      comment.id,
      {
        organisationId,
        personId: await this.personId(organisationId, email),
        email,
        via: 'system',
      },
      false,
      { round: round.id, text: LEADER_REPLY },
    );
    await this.conversations.answer(token, { comment: comment.id, text: AUTHOR_ANSWER });
    this.logger.log('demo conversation added');
    return token;
  }

  /** A weekly pulse for every demo team; the worker opens its rounds and logs the invitation links. */
  private async ensureCampaign(organisationId: string): Promise<void> {
    await this.instruments.ensureBuiltIn();
    const existing = await this.campaigns.list(organisationId, { kind: 'organisation' });
    if (existing.some((c) => c.name === DEMO_CAMPAIGN)) return;
    const teams = await this.db.query<{ id: string }[]>(
      `select id from unit where organisation_id = $1 and kind = 'team' order by key`,
      [organisationId],
    );
    const admin = await this.db.query<{ id: string }[]>(
      `select id from person where organisation_id = $1 and email = $2`,
      [organisationId, `admin@${DEMO_DOMAIN}`],
    );
    await this.campaigns.create(organisationId, admin[0].id, {
      name: DEMO_CAMPAIGN,
      form: 'short',
      cadence: 'weekly',
      timezone: 'Europe/London',
      // Open all week (each round closes as the next opens), so whenever someone starts the
      // demo there is a round to answer.
      openDays: 7,
      reminderDays: [2, 5],
      leaderSelfView: true,
      startsOn: '2026-01-05',
      teamIds: teams.map((t) => t.id),
    });
  }

  /** HR and the admin sit in People Operations like anyone else. */
  private staffRows(): string {
    const team = DEMO_TEAMS.find((t) => t.key === 'people-ops')!;
    return [`admin@${DEMO_DOMAIN},Alex Admin`, `hr@${DEMO_DOMAIN},Harper Reyes`]
      .map((who) => `${who},${team.key},${team.name},${team.department},member\n`)
      .join('');
  }
}
