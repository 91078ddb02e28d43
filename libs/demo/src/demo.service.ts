import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuthService } from '@trellis/identity';
import { OrganisationsService, PeopleService, RosterImportService } from '@trellis/organisation';
import { DEMO_DOMAIN, DEMO_TEAMS, demoRosterCsv, leaderEmail } from './demo-roster';

export const DEMO_SLUG = 'demo';
export const DEMO_PASSWORD = 'trellis-demo';

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
    return { organisationId, logins };
  }

  /** HR and the admin sit in People Operations like anyone else. */
  private staffRows(): string {
    const team = DEMO_TEAMS.find((t) => t.key === 'people-ops')!;
    return [`admin@${DEMO_DOMAIN},Alex Admin`, `hr@${DEMO_DOMAIN},Harper Reyes`]
      .map((who) => `${who},${team.key},${team.name},${team.department},member\n`)
      .join('');
  }
}
