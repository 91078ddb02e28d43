import { CommitmentsService } from '@trellis/reporting';
import { CampaignsService } from '@trellis/surveys';
import { createOrg, principalOf, signIn, type OrgFixture } from './support/fixtures';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * Every console page against every kind of caller: each role of the organisation, a leader of
 * another team, the same roles of another organisation (whose ids must look missing, 404, never
 * forbidden), and nobody (sent to sign in, coming back to the page afterwards). Refusals are
 * pages too, with the one CSP.
 */
describe('console pages: the authorization matrix', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  const sessions: Record<string, string> = {};
  let commitmentId: string;
  /** A campaign over Platform only, with its open round: Platform's leader leads all of it. */
  let platform: { campaignId: string; roundId: string };
  let campaignId: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'matrix');
    other = await createOrg(t.app, 'matrix-other');
    platform = await openRoundNow(t.app, org, { teamIds: [org.teamId] });
    sessions.admin = await signIn(t.http, org.admin.email);
    sessions.hr = await signIn(t.http, org.hr.email);
    sessions.leader = await signIn(t.http, org.leader.email);
    sessions.otherLeader = await signIn(t.http, org.otherLeader.email);
    sessions.otherAdmin = await signIn(t.http, other.admin.email);
    sessions.otherHr = await signIn(t.http, other.hr.email);
    ({ id: commitmentId } = await t.app
      .get(CommitmentsService)
      .create(org.teamId, principalOf(org, 'hr'), {
        action: 'Vet plans together',
        owner: 'Lead',
        dueOn: '2030-01-31',
        dimension: 'leader_support',
      }));
    campaignId = (
      await t.app.get(CampaignsService).create(org.orgId, org.hr.id, {
        name: 'Platform pulse',
        form: 'short',
        cadence: 'weekly',
        timezone: 'Europe/Berlin',
        openDays: 5,
        reminderDays: [2],
        leaderSelfView: true,
        startsOn: '2030-01-07',
        teamIds: [org.teamId],
      })
    ).id;
  });
  afterAll(() => t.close());

  type Caller = 'admin' | 'hr' | 'leader' | 'otherLeader' | 'otherAdmin' | 'otherHr';
  const ORG_WIDE: Record<Caller, number> = {
    admin: 200,
    hr: 200,
    leader: 403,
    otherLeader: 403,
    otherAdmin: 404,
    otherHr: 404,
  };

  const pages: { name: string; path: () => string; expect: Record<Caller, number> }[] = [
    {
      name: 'home',
      path: () => '/app',
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 200, otherAdmin: 200, otherHr: 200 },
    },
    {
      name: 'organisation overview',
      path: () => `/app/organisations/${org.orgId}`,
      expect: ORG_WIDE,
    },
    { name: 'people', path: () => `/app/organisations/${org.orgId}/people`, expect: ORG_WIDE },
    {
      name: 'a person',
      path: () => `/app/organisations/${org.orgId}/people/${org.member.id}`,
      expect: ORG_WIDE,
    },
    {
      name: 'roster import',
      path: () => `/app/organisations/${org.orgId}/import`,
      expect: ORG_WIDE,
    },
    { name: 'audit log', path: () => `/app/organisations/${org.orgId}/audit`, expect: ORG_WIDE },
    { name: 'settings', path: () => `/app/organisations/${org.orgId}/settings`, expect: ORG_WIDE },
    { name: 'API tokens', path: () => `/app/organisations/${org.orgId}/tokens`, expect: ORG_WIDE },
    { name: 'exports', path: () => `/app/organisations/${org.orgId}/exports`, expect: ORG_WIDE },
    {
      name: 'questionnaires',
      path: () => `/app/organisations/${org.orgId}/instruments`,
      expect: ORG_WIDE,
    },
    {
      name: 'new questionnaire',
      path: () => `/app/organisations/${org.orgId}/instruments/new`,
      expect: ORG_WIDE,
    },
    {
      name: 'campaigns',
      path: () => `/app/organisations/${org.orgId}/campaigns`,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 200, otherAdmin: 404, otherHr: 404 },
    },
    {
      name: 'new campaign',
      path: () => `/app/organisations/${org.orgId}/campaigns/new`,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 200, otherAdmin: 404, otherHr: 404 },
    },
    {
      name: 'a campaign over Platform',
      path: () => `/app/campaigns/${campaignId}`,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 403, otherAdmin: 404, otherHr: 404 },
    },
    {
      name: 'team report',
      path: () => `/app/units/${org.teamId}/report`,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 403, otherAdmin: 404, otherHr: 404 },
    },
    {
      name: 'a commitment’s edit page',
      path: () => `/app/commitments/${commitmentId}`,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 403, otherAdmin: 404, otherHr: 404 },
    },
    ...[
      { name: "a campaign's rounds", path: () => `/app/campaigns/${platform.campaignId}/rounds` },
      { name: 'a round', path: () => `/app/rounds/${platform.roundId}` },
      { name: 'close a round (confirm)', path: () => `/app/rounds/${platform.roundId}/close` },
      { name: 'remind a round (confirm)', path: () => `/app/rounds/${platform.roundId}/remind` },
    ].map((p) => ({
      ...p,
      expect: { admin: 200, hr: 200, leader: 200, otherLeader: 403, otherAdmin: 404, otherHr: 404 },
    })),
    // Comments: the unit's leaders and HR read them; an admin as such does not.
    {
      name: 'team comments',
      path: () => `/app/units/${org.teamId}/comments`,
      expect: { admin: 403, hr: 200, leader: 200, otherLeader: 403, otherAdmin: 404, otherHr: 404 },
    },
    {
      name: 'comments by unit',
      path: () => `/app/organisations/${org.orgId}/comments`,
      expect: { ...ORG_WIDE, admin: 403 },
    },
  ];

  describe.each(pages.map((p) => [p.name, p] as const))('%s', (_name, page) => {
    it.each(Object.keys(page.expect) as Caller[])('as %s', async (caller) => {
      const res = await t.http
        .get(page.path())
        .set('cookie', `trellis_session=${sessions[caller]}`);
      expect(res.status).toBe(page.expect[caller]);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      if (res.status !== 200) {
        // A refusal says nothing about what was asked for: not the organisation's name.
        expect(res.text).not.toContain('Org matrix');
      }
    });

    it('sends a browser that is not signed in to sign in, and back here afterwards', async () => {
      const res = await t.http.get(page.path()).set('accept', 'text/html');
      expect(res.status).toBe(303);
      const path = page.path();
      expect(res.headers.location).toBe(
        path === '/app' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(path)}`,
      );
    });
  });

  it('answers an /app path that does not exist with an HTML 404, signed in or not', async () => {
    const signedIn = await t.http
      .get('/app/organisations/nowhere/at-all')
      .set('cookie', `trellis_session=${sessions.leader}`);
    expect(signedIn.status).toBe(404);
    expect(signedIn.headers['content-type']).toMatch(/^text\/html/);
    expect(signedIn.text).toContain('<h1>Not found</h1>');
    const anonymous = await t.http.get('/app/x').set('accept', 'text/html');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/sign-in?next=%2Fapp%2Fx');
  });
});
