import type { INestApplicationContext } from '@nestjs/common';
import type { Response } from 'supertest';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { historyCsv, historyRows, importRound } from './support/history';
import {
  problems,
  responseSchema,
  type OpenApiDocument,
  type Operation,
} from './support/openapi-conformance';
import { declaredRoutes } from './support/routes';
import { answersFor, mintLinks } from './support/links';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** Each route's access rule kind, by its name in the document ("GET /units/{unitId}"). */
const ACCESS = new Map(
  declaredRoutes().map((r) => [`${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`, r.access]),
);

describe('the OpenAPI document', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let doc: OpenApiDocument;
  let operations: [string, Operation][];
  let hr: string;
  let admin: string;
  let leader: string;
  let roundId: string;

  /** The body of a real answer has exactly the shape the document gives that status. */
  function expectDocumented(res: Response, method: string, path: string): void {
    const schema = responseSchema(doc, method, path, res.status);
    expect({
      [`${method.toUpperCase()} ${path} ${res.status}`]: problems(doc, schema, res.body),
    }).toEqual({
      [`${method.toUpperCase()} ${path} ${res.status}`]: [],
    });
  }

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    org = await createOrg(t.app, 'openapi');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    admin = await signIn(t.http, org.admin.email);
    leader = await signIn(t.http, org.leader.email);
    // A closed, aggregated round: Sales shown with flags (7 people), Platform Data hidden (2 < k).
    roundId = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: '2026-01-05', periodEnd: '2026-01-18' },
      historyCsv([
        ...historyRows('platform', 6, 'healthy'),
        ...historyRows('platform-data', 2, 'healthy'),
        ...historyRows('sales', 7, 'micromanaged'),
      ]),
    );
    const res = await t.http.get('/docs/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as OpenApiDocument;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m): [string, Operation] => [
        `${m.toUpperCase()} ${path}`,
        item[m],
      ]),
    );
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  describe('every operation', () => {
    it('is there: the JSON API, and no page route', () => {
      expect(operations.length).toBeGreaterThanOrEqual(56);
      expect(
        operations.map(([name]) => name).filter((name) => / \/app|\/assets/.test(name)),
      ).toEqual([]);
    });

    it('has a summary, a unique operationId and a described tag', () => {
      const tags = new Set(
        ((doc as unknown as { tags: { name: string; description?: string }[] }).tags ?? [])
          .filter((tag) => tag.description)
          .map((tag) => tag.name),
      );
      const missing = operations.filter(([, op]) => !op.summary?.trim()).map(([name]) => name);
      expect(missing).toEqual([]);
      const ids = operations.map(([, op]) => op.operationId);
      expect(new Set(ids).size).toBe(ids.length);
      const untagged = operations
        .filter(([, op]) => !((op as { tags?: string[] }).tags ?? []).every((tag) => tags.has(tag)))
        .map(([name]) => name);
      expect(untagged).toEqual([]);
    });

    it('documents its 4xx answers with the shared error body', () => {
      for (const [name, op] of operations) {
        const errors = Object.keys(op.responses).filter((status) => /^4\d\d$/.test(status));
        expect({ [name]: errors.length > 0 }).toEqual({ [name]: true });
        for (const status of errors) {
          const schema = op.responses[status].content?.['application/json']?.schema;
          expect({ [`${name} ${status}`]: schema?.$ref }).toEqual({
            [`${name} ${status}`]: expect.stringMatching(/ErrorDto$|FileRejectedDto$/),
          });
        }
        // A body can always be too large, and every route is rate-limited.
        if (op.requestBody)
          expect({ [name]: op.responses['413'] }).toEqual({ [name]: expect.anything() });
        expect({ [name]: op.responses['429'] }).toEqual({ [name]: expect.anything() });
      }
    });

    it('declares its security as its access rule says: none when public, else bearer or cookie', () => {
      for (const [name, op] of operations) {
        const access = ACCESS.get(name);
        expect({ [name]: access }).toEqual({
          [name]: expect.stringMatching(/^(public|signed_in|resource)$/),
        });
        if (access === 'public') {
          expect({ [name]: op.security }).toEqual({ [name]: [] });
          continue;
        }
        expect({ [name]: op.security }).toEqual({ [name]: [{ bearer: [] }, { cookie: [] }] });
        // 403 where the rule asks for a role; what anyone signed in may do about themselves cannot.
        const codes = Object.keys(op.responses);
        expect({
          [name]: codes.includes('401') && codes.includes('403') === (access === 'resource'),
        }).toEqual({
          [name]: true,
        });
      }
      expect(
        operations.filter(([, op]) => op.security?.length === 0).length,
      ).toBeGreaterThanOrEqual(5);
    });

    it('describes what a successful JSON answer holds', () => {
      for (const [name, op] of operations) {
        const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
        expect({ [name]: ok.length }).toEqual({ [name]: 1 });
        const [status, response] = ok[0];
        if (status === '204') continue;
        const content = response.content ?? {};
        expect({
          [name]: Object.values(content).every((c) => c.schema) && Object.keys(content).length > 0,
        }).toEqual({
          [name]: true,
        });
      }
    });
  });

  describe('real answers have the documented shape', () => {
    it('signing in, who am I', async () => {
      const signedIn = await t.http
        .post('/auth/sign-in')
        .send({ email: org.hr.email, password: PASSWORD });
      expectDocumented(signedIn, 'post', '/auth/sign-in');
      expectDocumented(
        await t.http.get('/auth/me').set('authorization', `Bearer ${hr}`),
        'get',
        '/auth/me',
      );
    });

    it('the organisation, its units, people and settings', async () => {
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}`).set(as(hr)),
        'get',
        '/organisations/{orgId}',
      );
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}/units`).set(as(leader)),
        'get',
        '/organisations/{orgId}/units',
      );
      expectDocumented(
        await t.http.get(`/units/${org.teamId}`).set(as(hr)),
        'get',
        '/units/{unitId}',
      );
      expectDocumented(
        await t.http.get(`/units/${org.teamId}/members`).set(as(hr)),
        'get',
        '/units/{unitId}/members',
      );
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}/people`).set(as(hr)),
        'get',
        '/organisations/{orgId}/people',
      );
      expectDocumented(
        await t.http.get(`/people/${org.leader.id}`).set(as(hr)),
        'get',
        '/people/{personId}',
      );
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}/settings`).set(as(hr)),
        'get',
        '/organisations/{orgId}/settings',
      );
      const dryRun = await t.http
        .post(`/organisations/${org.orgId}/roster-imports`)
        .query({ dryRun: 'true' })
        .set(as(hr))
        .type('text/csv')
        .send(
          'email,name,team_key,team_name,department,role\nnew@openapi.test,New,platform,Platform,Engineering,member\n',
        );
      expectDocumented(dryRun, 'post', '/organisations/{orgId}/roster-imports');
    });

    it('API tokens, audit, notifications and background work', async () => {
      const created = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${hr}`)
        .send({ name: 'BI' });
      expectDocumented(created, 'post', '/organisations/{orgId}/api-tokens');
      const tokens = await t.http
        .get(`/organisations/${org.orgId}/api-tokens`)
        .set('authorization', `Bearer ${created.body.token}`);
      expectDocumented(tokens, 'get', '/organisations/{orgId}/api-tokens');
      expect(tokens.body[0].lastUsedAt).not.toBeNull();
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}/audit`).set('authorization', `Bearer ${hr}`),
        'get',
        '/organisations/{orgId}/audit',
      );
      expectDocumented(
        await t.http
          .get(`/organisations/${org.orgId}/notifications`)
          .set('authorization', `Bearer ${hr}`),
        'get',
        '/organisations/{orgId}/notifications',
      );
      expectDocumented(
        await t.http
          .get(`/organisations/${org.orgId}/work`)
          .set('authorization', `Bearer ${admin}`),
        'get',
        '/organisations/{orgId}/work',
      );
    });

    it('instruments, campaigns and rounds', async () => {
      const as = { authorization: `Bearer ${hr}` };
      const instruments = await t.http.get(`/organisations/${org.orgId}/instruments`).set(as);
      expectDocumented(instruments, 'get', '/organisations/{orgId}/instruments');
      expectDocumented(
        await t.http.get(`/instruments/${instruments.body[0].id}`).set(as),
        'get',
        '/instruments/{instrumentId}',
      );
      const campaign = await t.http
        .post(`/organisations/${org.orgId}/campaigns`)
        .set(as)
        .send({
          name: 'Pulse',
          form: 'short',
          cadence: 'monthly',
          timezone: 'Europe/Berlin',
          openDays: 5,
          reminderDays: [2],
          startsOn: '2030-01-01',
          teamIds: [org.teamId],
        });
      expectDocumented(campaign, 'post', '/organisations/{orgId}/campaigns');
      expectDocumented(
        await t.http.get(`/campaigns/${campaign.body.id}/rounds`).set(as),
        'get',
        '/campaigns/{campaignId}/rounds',
      );
      expectDocumented(await t.http.get(`/rounds/${roundId}`).set(as), 'get', '/rounds/{roundId}');
    });

    it('live rounds: open rounds, remind now and close now, repeated, and a closed round', async () => {
      // An organisation of its own: closing a round here must not change the others' latest round.
      const live = await createOrg(t.app, 'openapi-live');
      const as = { authorization: `Bearer ${await signIn(t.http, live.hr.email)}` };
      const { roundId: open } = await openRoundNow(t.app, live, { teamIds: [live.teamId] });
      expectDocumented(
        await t.http.get(`/organisations/${live.orgId}/open-rounds`).set(as),
        'get',
        '/organisations/{orgId}/open-rounds',
      );
      for (let i = 0; i < 2; i++) {
        const reminded = await t.http.post(`/rounds/${open}/reminders`).set(as);
        expect(reminded.status).toBe(202);
        expectDocumented(reminded, 'post', '/rounds/{roundId}/reminders');
      }
      const closing = await t.http.post(`/rounds/${open}/close`).set(as);
      expect(closing.status).toBe(202);
      expectDocumented(closing, 'post', '/rounds/{roundId}/close');
      // The worker ticks every 500 ms: the repeat finds the round closing (202) or closed (409).
      const again = await t.http.post(`/rounds/${open}/close`).set(as);
      expect([202, 409]).toContain(again.status);
      expectDocumented(again, 'post', '/rounds/{roundId}/close');
      await until(
        'the worker to close the round',
        async () => (await t.http.get(`/rounds/${open}`).set(as)).body.status === 'closed',
      );
      const closed = await t.http.post(`/rounds/${open}/close`).set(as);
      expect(closed.status).toBe(409);
      expectDocumented(closed, 'post', '/rounds/{roundId}/close');
      const late = await t.http.post(`/rounds/${open}/reminders`).set(as);
      expect(late.status).toBe(409);
      expectDocumented(late, 'post', '/rounds/{roundId}/reminders');
      expectDocumented(await t.http.get(`/rounds/${open}`).set(as), 'get', '/rounds/{roundId}');
    });

    it('the unit report (shown), the heatmap (shown and suppressed rows), participation and commitments', async () => {
      const as = { authorization: `Bearer ${hr}` };
      const commitment = await t.http.post(`/units/${org.otherTeamId}/commitments`).set(as).send({
        action: 'Plan together before work starts',
        owner: 'Ana',
        dueOn: '2026-12-31',
        dimension: 'decision_rights',
        flagCode: 'micromanagement',
      });
      expectDocumented(commitment, 'post', '/units/{unitId}/commitments');
      const report = await t.http.get(`/units/${org.otherTeamId}/report`).set(as);
      expect(report.body.latest).toMatchObject({ shown: true });
      expect(report.body.flags.length).toBeGreaterThan(0);
      expect(report.body.commitments).toHaveLength(1);
      expectDocumented(report, 'get', '/units/{unitId}/report');
      const heatmap = await t.http
        .get(`/organisations/${org.orgId}/heatmap`)
        .set('authorization', `Bearer ${hr}`);
      expect(new Set(heatmap.body.rows.map((r: { shown: boolean }) => r.shown))).toEqual(
        new Set([true, false]),
      );
      expectDocumented(heatmap, 'get', '/organisations/{orgId}/heatmap');
      expectDocumented(
        await t.http
          .get(`/organisations/${org.orgId}/participation`)
          .set('authorization', `Bearer ${hr}`),
        'get',
        '/organisations/{orgId}/participation',
      );
    });

    it('exports and the data API', async () => {
      const as = { authorization: `Bearer ${hr}` };
      const created = await t.http
        .post(`/organisations/${org.orgId}/exports`)
        .set(as)
        .send({ format: 'csv' });
      expectDocumented(created, 'post', '/organisations/{orgId}/exports');
      expectDocumented(
        await t.http.get(`/exports/${created.body.id}`).set(as),
        'get',
        '/exports/{exportId}',
      );
      const trends = await t.http.get(`/organisations/${org.orgId}/data/trends`).set(as);
      expect(trends.body.rows.length).toBeGreaterThan(0);
      expectDocumented(trends, 'get', '/organisations/{orgId}/data/trends');
    });

    it('errors: a field problem, no credential, a missing role, another organisation', async () => {
      const invalid = await t.http
        .post(`/organisations/${org.orgId}/people`)
        .set('authorization', `Bearer ${hr}`)
        .send({ email: 'not an email', name: 'X' });
      expect(invalid.status).toBe(400);
      expectDocumented(invalid, 'post', '/organisations/{orgId}/people');
      const anonymous = await t.http.get(`/organisations/${org.orgId}/people`);
      expect(anonymous.status).toBe(401);
      expectDocumented(anonymous, 'get', '/organisations/{orgId}/people');
      const leaderOnly = await t.http
        .get(`/organisations/${org.orgId}/people`)
        .set('authorization', `Bearer ${leader}`);
      expect(leaderOnly.status).toBe(403);
      expectDocumented(leaderOnly, 'get', '/organisations/{orgId}/people');
      const elsewhere = await t.http
        .get('/units/00000000-0000-4000-8000-000000000000')
        .set('authorization', `Bearer ${hr}`);
      expect(elsewhere.status).toBe(404);
      expectDocumented(elsewhere, 'get', '/units/{unitId}');
      const badFile = await t.http
        .post(`/organisations/${org.orgId}/roster-imports`)
        .set('authorization', `Bearer ${hr}`)
        .type('text/csv')
        .send(
          'email,name,team_key,team_name,department,role\nnot-an-email,X,platform,Platform,Engineering,member\n',
        );
      expect(badFile.status).toBe(400);
      expectDocumented(badFile, 'post', '/organisations/{orgId}/roster-imports');
    });

    it('the pulse, anonymous: the form and an answer', async () => {
      const { roundId: open } = await openRoundNow(t.app, org);
      const [link] = await mintLinks(t.db, open);
      const form = await t.http.get(`/pulse/${link.token}`);
      expectDocumented(form, 'get', '/pulse/{token}');
      const answered = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items) });
      expect(answered.status).toBe(201);
      expectDocumented(answered, 'post', '/pulse/{token}');
      const again = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items, 2) });
      expect(again.status).toBe(409);
      expectDocumented(again, 'post', '/pulse/{token}');
      expectDocumented(
        await t.http.get(`/rounds/${open}`).set('authorization', `Bearer ${hr}`),
        'get',
        '/rounds/{roundId}',
      );
      expectDocumented(await t.http.get('/health/live'), 'get', '/health/live');
    });

    it('writes answer with what they wrote, as documented', async () => {
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      expectDocumented(
        await t.http.patch(`/organisations/${org.orgId}`).set(as(admin)).send({ name: 'Renamed' }),
        'patch',
        '/organisations/{orgId}',
      );
      const unit = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set(as(hr))
        .send({ name: 'Infra', key: 'infra', kind: 'team', parentId: org.deptId });
      expectDocumented(unit, 'post', '/organisations/{orgId}/units');
      expectDocumented(
        await t.http.patch(`/units/${unit.body.id}`).set(as(hr)).send({ name: 'Infrastructure' }),
        'patch',
        '/units/{unitId}',
      );
      const duplicate = await t.http
        .post(`/organisations/${org.orgId}/units`)
        .set(as(hr))
        .send({ name: 'Infra', key: 'infra', kind: 'team' });
      expect(duplicate.status).toBe(409);
      expectDocumented(duplicate, 'post', '/organisations/{orgId}/units');
      const person = await t.http
        .post(`/organisations/${org.orgId}/people`)
        .set(as(hr))
        .send({ email: 'new.person@openapi.test', name: 'New Person' });
      expectDocumented(person, 'post', '/organisations/{orgId}/people');
      expectDocumented(
        await t.http
          .patch(`/people/${person.body.id}`)
          .set(as(hr))
          .send({ name: 'Renamed Person' }),
        'patch',
        '/people/{personId}',
      );
      expectDocumented(
        await t.http
          .put(`/people/${person.body.id}/roles`)
          .set(as(admin))
          .send({ roles: ['hr'] }),
        'put',
        '/people/{personId}/roles',
      );
      const token = await t.http
        .post(`/organisations/${org.orgId}/api-tokens`)
        .set(as(hr))
        .send({ name: 'Short-lived' });
      expectDocumented(
        await t.http.delete(`/api-tokens/${token.body.id}`).set(as(hr)),
        'delete',
        '/api-tokens/{tokenId}',
      );
      const campaigns = await t.http.get(`/organisations/${org.orgId}/campaigns`).set(as(hr));
      expectDocumented(campaigns, 'get', '/organisations/{orgId}/campaigns');
      const campaignId = campaigns.body[0].id as string;
      expectDocumented(
        await t.http.get(`/campaigns/${campaignId}`).set(as(hr)),
        'get',
        '/campaigns/{campaignId}',
      );
      expectDocumented(
        await t.http.patch(`/campaigns/${campaignId}`).set(as(hr)).send({ active: false }),
        'patch',
        '/campaigns/{campaignId}',
      );
      const commitments = await t.http.get(`/units/${org.otherTeamId}/commitments`).set(as(hr));
      expectDocumented(commitments, 'get', '/units/{unitId}/commitments');
      expectDocumented(
        await t.http
          .patch(`/commitments/${commitments.body[0].id}`)
          .set(as(hr))
          .send({ status: 'done' }),
        'patch',
        '/commitments/{commitmentId}',
      );
      expectDocumented(
        await t.http.get(`/organisations/${org.orgId}/exports`).set(as(hr)),
        'get',
        '/organisations/{orgId}/exports',
      );
      // Last: a settings change starts re-deriving the results the tests above read.
      expectDocumented(
        await t.http
          .put(`/organisations/${org.orgId}/settings`)
          .set(as(admin))
          .send({ anonymity: { minGroupSize: 5, minCommentGroup: 10 } }),
        'put',
        '/organisations/{orgId}/settings',
      );
    });

    it('the strict reader itself refuses a key the document does not declare', () => {
      const schema = responseSchema(doc, 'get', '/auth/me', 200);
      expect(
        problems(doc, schema, {
          ...{
            personId: 'a',
            organisationId: 'b',
            name: 'n',
            email: 'e',
            roles: [],
            via: 'session',
          },
          secret: 1,
        }),
      ).toEqual(['$.secret: in the response, not in the document']);
    });
  });
});
