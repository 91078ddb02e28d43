import type { INestApplication } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { randomUUID } from 'node:crypto';
import { AuthService, type Principal } from '@trellis/identity';
import {
  OrganisationsService,
  PeopleService,
  UnitsService,
  type OrganisationRoleName,
} from '@trellis/organisation';

export const PASSWORD = 'correct horse battery';

export interface Who {
  id: string;
  email: string;
}

/**
 * A small organisation with every kind of caller: HR, an admin, a leader with a sub-team below
 * their team, a leader of another team, and a plain member.
 */
export interface OrgFixture {
  orgId: string;
  rootId: string;
  deptId: string;
  teamId: string;
  subTeamId: string;
  otherTeamId: string;
  admin: Who;
  hr: Who;
  leader: Who;
  otherLeader: Who;
  member: Who;
  subMember: Who;
  otherMember: Who;
}

export async function createOrg(app: INestApplication, slug: string): Promise<OrgFixture> {
  const orgs = app.get(OrganisationsService);
  const units = app.get(UnitsService);
  const people = app.get(PeopleService);
  const auth = app.get(AuthService);

  const org = await orgs.create({ slug, name: `Org ${slug}` });
  const [root] = (await units.list(org.id, { kind: 'organisation' })).filter(
    (u) => u.kind === 'organisation',
  );
  const dept = await units.create(org.id, { name: 'Engineering', key: 'eng', kind: 'department' });
  const team = await units.create(org.id, {
    name: 'Platform',
    key: 'platform',
    kind: 'team',
    parentId: dept.id,
  });
  const subTeam = await units.create(org.id, {
    name: 'Platform Data',
    key: 'platform-data',
    kind: 'team',
    parentId: team.id,
  });
  const otherTeam = await units.create(org.id, { name: 'Sales', key: 'sales', kind: 'team' });

  const person = async (
    local: string,
    roles: OrganisationRoleName[] = [],
    withPassword = true,
  ): Promise<Who> => {
    const email = `${local}@${slug}.test`;
    const p = await people.create(org.id, { email, name: local });
    if (withPassword) await auth.setPassword(p.id, PASSWORD);
    if (roles.length) await people.setRoles(p.id, roles);
    return { id: p.id, email };
  };
  const admin = await person('admin', ['admin']);
  const hr = await person('hr', ['hr']);
  const leader = await person('leader');
  const otherLeader = await person('other-leader');
  const member = await person('member');
  const subMember = await person('sub-member', [], false);
  const otherMember = await person('other-member', [], false);

  await people.addMembership(team.id, leader.id, 'leader');
  await people.addMembership(otherTeam.id, otherLeader.id, 'leader');
  // The other team's leader also belongs to the first team: leading one team and being a member of another.
  await people.addMembership(team.id, otherLeader.id, 'member');
  await people.addMembership(team.id, member.id, 'member');
  await people.addMembership(subTeam.id, subMember.id, 'member');
  await people.addMembership(otherTeam.id, otherMember.id, 'member');

  return {
    orgId: org.id,
    rootId: root.id,
    deptId: dept.id,
    teamId: team.id,
    subTeamId: subTeam.id,
    otherTeamId: otherTeam.id,
    admin,
    hr,
    leader,
    otherLeader,
    member,
    subMember,
    otherMember,
  };
}

/** A session principal for calling services directly, as someone of the organisation. */
export function principalOf(org: OrgFixture, who: 'hr' | 'admin'): Principal {
  return {
    personId: org[who].id,
    organisationId: org.orgId,
    name: who,
    email: org[who].email,
    roles: [who],
    via: 'session',
    credentialId: randomUUID(),
  };
}

export async function signIn(http: TestAgent, email: string, password = PASSWORD): Promise<string> {
  const res = await http.post('/auth/sign-in').send({ email, password });
  if (res.status !== 200)
    throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { token: string }).token;
}

/** The CSRF token a page served to this session carries (every console page has one, in the sign-out form). */
export async function csrfFor(http: TestAgent, session: string): Promise<string> {
  const page = await http.get('/app').set('cookie', `trellis_session=${session}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!token) throw new Error(`no CSRF token on /app (${page.status})`);
  return token;
}

/** What the sign-in page gives a browser before it signs in: the pre-session cookie and its CSRF token. */
export async function signInFormFor(http: TestAgent): Promise<{ cookie: string; csrf: string }> {
  const page = await http.get('/sign-in');
  const cookie = String(page.headers['set-cookie']).split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!csrf) throw new Error(`no CSRF token on /sign-in (${page.status})`);
  return { cookie, csrf };
}
