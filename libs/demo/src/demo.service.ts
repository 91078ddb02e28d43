import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthService } from '@trellis/identity';
import { OrganisationsService, PeopleService, RosterImportService } from '@trellis/organisation';
import { AggregationService } from '@trellis/aggregation';
import { CampaignsService, HistoryImportService, InstrumentsService } from '@trellis/surveys';
import { demoHistory } from './demo-history';
import { DEMO_DOMAIN, DEMO_TEAMS, demoRosterCsv, leaderEmail } from './demo-roster';

export const DEMO_SLUG = 'demo';
export const DEMO_PASSWORD = 'trellis-demo';
export const DEMO_CAMPAIGN = 'Weekly team pulse';

export interface DemoLogin {
  email: string;
  role: string;
}

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
  ) {}

  async seed(): Promise<{ organisationId: string; logins: DemoLogin[] }> {
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
    return { organisationId, logins };
  }

  /** Past rounds to look at, imported and aggregated the way a customer's history would be. */
  private async ensureHistory(organisationId: string): Promise<void> {
    const [{ imported }] = await this.db.query<{ imported: number }[]>(
      `select count(*)::int as imported from round where organisation_id = $1 and source = 'import'`,
      [organisationId],
    );
    if (imported > 0) return;
    for (const round of demoHistory(new Date())) {
      const { roundId } = await this.history.import(organisationId, round.csv, {
        periodStart: round.periodStart,
        periodEnd: round.periodEnd,
      });
      // In order, so each round's "declining" check sees the rounds before it.
      await this.aggregation.aggregate(roundId);
    }
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
