import { randomUUID } from 'node:crypto';
import { METHODS } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Response } from 'supertest';
import { ApiTokensService, AuthService, type Principal } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { createOrg, PASSWORD, signIn, type OrgFixture, type Who } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The authorization matrix: every HTTP endpoint × every kind of caller, with the exact set of
 * callers each endpoint lets in. Refusals are exact too: 401 for anonymous callers, 404 for
 * another organisation (indistinguishable from a missing resource), 403 for everyone else.
 */

const CALLERS = [
  'anonymous',
  'member', // signed in, no organisation role, leads nothing
  'otherLeader', // leads Sales; a plain member of Platform
  'leader', // leads Platform, which has the sub-team Platform Data below it
  'hr',
  'admin',
  'otherAdmin', // admin of another organisation
] as const;
type Caller = (typeof CALLERS)[number];

const EVERYONE: readonly Caller[] = CALLERS;
const SIGNED_IN: readonly Caller[] = [
  'member',
  'otherLeader',
  'leader',
  'hr',
  'admin',
  'otherAdmin',
];
/** Anyone who leads some unit of the organisation, or holds a role there. */
const ANY_LEADER: readonly Caller[] = ['otherLeader', 'leader', 'hr', 'admin'];
/** Leaders of Platform (the resource is their team or below it), HR and admins. */
const PLATFORM_LEADER: readonly Caller[] = ['leader', 'hr', 'admin'];
const HR_ADMIN: readonly Caller[] = ['hr', 'admin'];
const ADMIN: readonly Caller[] = ['admin'];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the table's builders can use: the fixtures, and makers of fresh targets for one call. */
interface Ctx {
  org: OrgFixture;
  other: OrgFixture;
  /** Has a password; the public sign-in endpoints sign in as this person. */
  visitor: Who;
  unique: () => string;
  freshPerson: () => Promise<string>;
  freshPlatformMember: () => Promise<string>;
  freshApiToken: () => Promise<string>;
}

interface Endpoint {
  method: Method;
  /** The Express route template, exactly as the app registers it. */
  path: string;
  /** Distinguishes two rows for the same route exercised on different targets. */
  variant?: string;
  allowed: readonly Caller[];
  /** The status an allowed caller gets. */
  ok: number | ((caller: Caller) => number);
  params?: (c: Ctx) => Record<string, string> | Promise<Record<string, string>>;
  query?: Record<string, string>;
  body?: (c: Ctx) => object | string | Promise<object>;
  send?: 'json' | 'form' | 'csv';
  /**
   * 'fresh': the call ends the session it is made with, so it gets a session of its own.
   * 'fresh-then-renew': it also ends the caller's other sessions, so the caller signs in again.
   */
  session?: 'fresh' | 'fresh-then-renew';
  verify?: (res: Response, caller: Caller) => void;
}

const redirectsTo = (location: string) => (res: Response) =>
  expect(res.headers.location).toBe(location);

// prettier-ignore
const ENDPOINTS: readonly Endpoint[] = [
  // --- operations
  { method: 'GET', path: '/health/live', allowed: EVERYONE, ok: 200 },
  { method: 'GET', path: '/health/ready', allowed: EVERYONE, ok: 200 },

  // --- sign-in and the caller's own account
  { method: 'POST', path: '/auth/sign-in', allowed: EVERYONE, ok: 200,
    body: (c) => ({ email: c.visitor.email, password: PASSWORD }) },
  { method: 'POST', path: '/auth/sign-out', allowed: SIGNED_IN, ok: 204, session: 'fresh' },
  { method: 'GET', path: '/auth/me', allowed: SIGNED_IN, ok: 200 },
  { method: 'PUT', path: '/auth/password', allowed: SIGNED_IN, ok: 204, session: 'fresh-then-renew',
    body: () => ({ currentPassword: PASSWORD, newPassword: PASSWORD }) },

  // --- API tokens
  { method: 'GET', path: '/organisations/:orgId/api-tokens', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/api-tokens', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }), body: (c) => ({ name: `token ${c.unique()}` }) },
  { method: 'DELETE', path: '/api-tokens/:tokenId', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ tokenId: await c.freshApiToken() }) },

  // --- the organisation
  { method: 'GET', path: '/organisations/:orgId', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'PATCH', path: '/organisations/:orgId', allowed: ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({ name: 'Org main' }) },
  { method: 'GET', path: '/organisations/:orgId/units', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/units', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }),
    body: (c) => { const key = `unit-${c.unique()}`; return { name: key, key, kind: 'team' }; } },
  { method: 'POST', path: '/organisations/:orgId/roster-imports', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }), query: { dryRun: 'true' }, send: 'csv',
    body: (c) => { const n = c.unique();
      return `email,name,team_key,team_name,department,role\nroster-${n}@main.test,Roster ${n},roster-${n},Roster ${n},Engineering,member\n`; } },

  // --- units (on the leader's team Platform)
  { method: 'GET', path: '/units/:unitId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  { method: 'GET', path: '/units/:unitId', variant: 'sub-team Platform Data', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.subTeamId }) },
  { method: 'PATCH', path: '/units/:unitId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }), body: () => ({ name: 'Platform' }) },
  { method: 'GET', path: '/units/:unitId/members', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  { method: 'POST', path: '/units/:unitId/members', allowed: HR_ADMIN, ok: 204,
    params: (c) => ({ unitId: c.org.teamId }), body: async (c) => ({ personId: await c.freshPerson(), role: 'member' }) },
  { method: 'DELETE', path: '/units/:unitId/members/:personId', allowed: HR_ADMIN, ok: 204,
    params: async (c) => ({ unitId: c.org.teamId, personId: await c.freshPlatformMember() }) },

  // --- people
  { method: 'GET', path: '/organisations/:orgId/people', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/people', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }), body: (c) => ({ email: `new-${c.unique()}@main.test`, name: 'New' }) },
  { method: 'GET', path: '/people/:personId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ personId: c.org.member.id }) },
  { method: 'PATCH', path: '/people/:personId', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ personId: await c.freshPerson() }), body: () => ({ name: 'Renamed' }) },
  { method: 'PUT', path: '/people/:personId/roles', allowed: ADMIN, ok: 200,
    params: async (c) => ({ personId: await c.freshPerson() }), body: () => ({ roles: ['hr'] }) },
  { method: 'PUT', path: '/people/:personId/password', allowed: ADMIN, ok: 204,
    params: async (c) => ({ personId: await c.freshPerson() }), body: () => ({ password: 'a long enough password' }) },

  // --- server-rendered pages: public by design, they decide for themselves what to show
  { method: 'GET', path: '/', allowed: EVERYONE, ok: 303,
    verify: (res, caller) => redirectsTo(caller === 'anonymous' ? '/sign-in' : '/app')(res) },
  { method: 'GET', path: '/sign-in', allowed: EVERYONE, ok: 200 },
  { method: 'POST', path: '/sign-in', allowed: EVERYONE, ok: 303, send: 'form',
    body: (c) => ({ email: c.visitor.email, password: PASSWORD }), verify: redirectsTo('/app') },
  { method: 'POST', path: '/sign-out', allowed: EVERYONE, ok: 303, session: 'fresh',
    verify: redirectsTo('/sign-in') },
  { method: 'GET', path: '/app', allowed: EVERYONE, ok: (caller) => (caller === 'anonymous' ? 303 : 200),
    verify: (res, caller) => { if (caller === 'anonymous') redirectsTo('/sign-in')(res); } },
];

/** The status a refused caller gets. */
function refusal(caller: Caller): number {
  if (caller === 'anonymous') return 401;
  if (caller === 'otherAdmin') return 404;
  return 403;
}

const REFUSALS = [401, 403, 404];

function expectStatus(res: Response, expected: number): void {
  // The body is part of the received value so a failure shows why the app answered as it did.
  expect({ status: res.status, body: res.body }).toMatchObject({ status: expected });
}

function fill(path: string, params: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`no value for :${name} in ${path}`);
    return value;
  });
}

const routeKey = (e: { method: string; path: string }) => `${e.method} ${e.path}`;
const title = (e: Endpoint) => `${routeKey(e)}${e.variant ? ` (${e.variant})` : ''}`;

describe('authorization matrix', () => {
  let t: TestApp;
  let ctx: Ctx;
  const tokens = new Map<Caller, string>();
  const who = new Map<Caller, Who>();

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT: '1000', REQUEST_LIMIT_PER_MINUTE: '100000' });
    const org = await createOrg(t.app, 'main');
    const other = await createOrg(t.app, 'other');
    const people = t.app.get(PeopleService);
    const auth = t.app.get(AuthService);
    const apiTokens = t.app.get(ApiTokensService);

    let seq = 0;
    const unique = () => `${++seq}-${randomUUID().slice(0, 8)}`;
    const freshPerson = async () => {
      const n = unique();
      return (await people.create(org.orgId, { email: `fresh-${n}@main.test`, name: `Fresh ${n}` }))
        .id;
    };
    const visitor = await people.create(org.orgId, { email: 'visitor@main.test', name: 'Visitor' });
    await auth.setPassword(visitor.id, PASSWORD);
    const hrPrincipal: Principal = {
      personId: org.hr.id,
      organisationId: org.orgId,
      name: 'hr',
      email: org.hr.email,
      roles: ['hr'],
      via: 'session',
      credentialId: randomUUID(),
    };
    ctx = {
      org,
      other,
      visitor: { id: visitor.id, email: visitor.email },
      unique,
      freshPerson,
      freshPlatformMember: async () => {
        const id = await freshPerson();
        await people.addMembership(org.teamId, id, 'member');
        return id;
      },
      freshApiToken: async () => (await apiTokens.create(hrPrincipal, `to revoke ${unique()}`)).id,
    };

    who.set('member', org.member);
    who.set('otherLeader', org.otherLeader);
    who.set('leader', org.leader);
    who.set('hr', org.hr);
    who.set('admin', org.admin);
    who.set('otherAdmin', other.admin);
    for (const [caller, person] of who) tokens.set(caller, await signIn(t.http, person.email));
  }, 60_000);
  afterAll(() => t?.close());

  async function call(e: Endpoint, caller: Caller): Promise<Response> {
    const url = fill(e.path, (await e.params?.(ctx)) ?? {});
    const person = who.get(caller);
    const token = person && e.session ? await signIn(t.http, person.email) : tokens.get(caller);

    const verb = (
      { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' } as const
    )[e.method];
    let req = t.http[verb](url);
    if (token) req = req.set('authorization', `Bearer ${token}`);
    if (e.query) req = req.query(e.query);
    if (e.body) {
      const body = await e.body(ctx);
      if (e.send === 'csv') req = req.set('content-type', 'text/csv').send(body);
      else if (e.send === 'form') req = req.type('form').send(body);
      else req = req.send(body);
    }
    const res = await req;
    if (person && e.session === 'fresh-then-renew')
      tokens.set(caller, await signIn(t.http, person.email));
    return res;
  }

  describe('completeness: the table covers exactly the endpoints the running app serves', () => {
    const tabled = () => [...new Set(ENDPOINTS.map(routeKey))].sort();

    it('per the Express router (Swagger UI aside)', () => {
      const express = t.app.getHttpAdapter().getInstance();
      // Express 5 keeps the router at app.router (Express 4 had app._router).
      const stack = (express.router ?? express._router).stack as {
        route?: { path: string; methods: Record<string, boolean> };
      }[];
      const served = new Set<string>();
      for (const layer of stack) {
        const route = layer.route;
        if (!route || route.path.startsWith('/docs')) continue;
        // Middleware Nest mounts for every route (request logging) is registered with all(),
        // which covers every HTTP method; no controller here does that (checked below).
        if (METHODS.every((m) => route.methods[m.toLowerCase()])) continue;
        for (const [method, on] of Object.entries(route.methods))
          if (on) served.add(`${method.toUpperCase()} ${route.path}`);
      }
      expect(tabled()).toEqual([...served].sort());
    });

    it("per the controllers' route metadata", () => {
      const scanner = t.app.get(MetadataScanner);
      const declared = new Set<string>();
      const paths = (value: string | string[] | undefined): string[] =>
        value === undefined ? [''] : Array.isArray(value) ? value : [value];
      for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
        const instance = wrapper.instance as object | undefined;
        if (!instance || !wrapper.metatype) continue;
        const proto = Object.getPrototypeOf(instance) as Record<string, object>;
        for (const name of scanner.getAllMethodNames(proto)) {
          const handler = proto[name];
          const handlerPaths = Reflect.getMetadata(PATH_METADATA, handler) as
            string | string[] | undefined;
          if (handlerPaths === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          for (const base of paths(Reflect.getMetadata(PATH_METADATA, wrapper.metatype)))
            for (const sub of paths(handlerPaths)) {
              const path = `/${[base, sub]
                .map((p) => p.replace(/^\/+|\/+$/g, ''))
                .filter(Boolean)
                .join('/')}`;
              declared.add(`${method} ${path}`);
            }
        }
      }
      expect(tabled()).toEqual([...declared].sort());
    });
  });

  it('declares every resource endpoint closed to anonymous callers and other organisations', () => {
    const open = ENDPOINTS.filter(
      (e) =>
        e.path.includes(':') &&
        (e.allowed.includes('anonymous') || e.allowed.includes('otherAdmin')),
    );
    expect(open.map(title)).toEqual([]);
  });

  describe.each(ENDPOINTS.map((e) => [title(e), e] as const))('%s', (_, endpoint) => {
    const pairs = CALLERS.map((caller) => {
      const allowed = endpoint.allowed.includes(caller);
      const status = allowed
        ? typeof endpoint.ok === 'function'
          ? endpoint.ok(caller)
          : endpoint.ok
        : refusal(caller);
      return {
        caller,
        allowed,
        status,
        outcome: allowed ? `allowed (${status})` : `refused (${status})`,
      };
    });

    it.each(pairs)('$caller: $outcome', async ({ caller, allowed, status }) => {
      const res = await call(endpoint, caller);
      if (allowed) expect(REFUSALS).not.toContain(res.status);
      expectStatus(res, status);
      if (allowed) endpoint.verify?.(res, caller);
    });
  });

  describe('GET /organisations/:orgId/units shows each caller their part of the tree', () => {
    const unitIds = async (caller: Caller) => {
      const res = await t.http
        .get(`/organisations/${ctx.org.orgId}/units`)
        .set('authorization', `Bearer ${tokens.get(caller)}`);
      expectStatus(res, 200);
      return (res.body as { id: string }[]).map((u) => u.id).sort();
    };

    it.each(['hr', 'admin'] as const)('%s gets the whole organisation', async (caller) => {
      const all = await t.db.query<{ id: string }>(
        'select id from unit where organisation_id = $1',
        [ctx.org.orgId],
      );
      expect(all.rows.length).toBeGreaterThanOrEqual(5);
      expect(await unitIds(caller)).toEqual(all.rows.map((r) => r.id).sort());
    });

    it('leader gets exactly Platform and Platform Data', async () => {
      expect(await unitIds('leader')).toEqual([ctx.org.teamId, ctx.org.subTeamId].sort());
    });

    it('otherLeader gets exactly Sales, not the team they are a plain member of', async () => {
      expect(await unitIds('otherLeader')).toEqual([ctx.org.otherTeamId]);
    });

    it('member (leads nothing) is refused', async () => {
      const res = await t.http
        .get(`/organisations/${ctx.org.orgId}/units`)
        .set('authorization', `Bearer ${tokens.get('member')}`);
      expectStatus(res, 403);
    });
  });

  describe('nothing crosses organisations', () => {
    const as = (caller: Caller) => ({ authorization: `Bearer ${tokens.get(caller)}` });

    it('the first organisation cannot read the other one', async () => {
      const o = ctx.other;
      const reads = [
        `/organisations/${o.orgId}`,
        `/organisations/${o.orgId}/units`,
        `/organisations/${o.orgId}/people`,
        `/organisations/${o.orgId}/api-tokens`,
        `/units/${o.teamId}`,
        `/units/${o.teamId}/members`,
        `/people/${o.member.id}`,
      ];
      for (const caller of ['admin', 'hr', 'leader'] as const) {
        for (const path of reads) {
          const res = await t.http.get(path).set(as(caller));
          expect(`${caller} GET ${path}: ${res.status}`).toBe(`${caller} GET ${path}: 404`);
        }
      }
    });

    it("the first organisation's admin cannot change the other one, and nothing changes", async () => {
      const o = ctx.other;
      const apiTokens = t.app.get(ApiTokensService);
      const otherToken = await apiTokens.create(
        {
          personId: o.admin.id,
          organisationId: o.orgId,
          name: 'admin',
          email: o.admin.email,
          roles: ['admin'],
          via: 'session',
          credentialId: randomUUID(),
        },
        'other org token',
      );
      const attempts = [
        t.http.patch(`/organisations/${o.orgId}`).send({ name: 'Taken over' }),
        t.http.patch(`/people/${o.member.id}`).send({ name: 'Taken over' }),
        t.http.put(`/people/${o.member.id}/roles`).send({ roles: ['admin'] }),
        t.http.put(`/people/${o.member.id}/password`).send({ password: 'a long enough password' }),
        t.http.patch(`/units/${o.teamId}`).send({ name: 'Taken over' }),
        t.http
          .post(`/units/${o.teamId}/members`)
          .send({ personId: o.otherMember.id, role: 'leader' }),
        t.http.delete(`/units/${o.teamId}/members/${o.member.id}`),
        t.http.post(`/organisations/${o.orgId}/people`).send({ email: 'x@other.test', name: 'X' }),
        t.http.post(`/organisations/${o.orgId}/units`).send({ name: 'X', key: 'x', kind: 'team' }),
        t.http.delete(`/api-tokens/${otherToken.id}`),
      ];
      for (const attempt of attempts) expectStatus(await attempt.set(as('admin')), 404);

      const db = async (sql: string, params: unknown[]) => (await t.db.query(sql, params)).rows;
      expect(await db('select name from organisation where id = $1', [o.orgId])).toEqual([
        { name: 'Org other' },
      ]);
      expect(
        await db('select name, password_hash from person where id = $1', [o.member.id]),
      ).toEqual([{ name: 'member', password_hash: expect.any(String) }]);
      expect(
        await db('select role from organisation_role where person_id = $1', [o.member.id]),
      ).toEqual([]);
      expect(await db('select name from unit where id = $1', [o.teamId])).toEqual([
        { name: 'Platform' },
      ]);
      expect(
        await db('select person_id from membership where unit_id = $1 order by person_id', [
          o.teamId,
        ]),
      ).toHaveLength(3);
      expect(
        await db('select count(*)::int as n from person where organisation_id = $1', [o.orgId]),
      ).toEqual([{ n: 7 }]);
      expect(await db('select revoked_at from api_token where id = $1', [otherToken.id])).toEqual([
        { revoked_at: null },
      ]);
    });

    it("another organisation's resources answer exactly like missing ones", async () => {
      const missing = randomUUID();
      const pairs = [
        [`/organisations/${ctx.other.orgId}`, `/organisations/${missing}`],
        [`/units/${ctx.other.teamId}`, `/units/${missing}`],
        [`/people/${ctx.other.member.id}`, `/people/${missing}`],
      ];
      for (const [theirs, nobodys] of pairs) {
        const a = await t.http.get(theirs).set(as('admin'));
        const b = await t.http.get(nobodys).set(as('admin'));
        expectStatus(a, 404);
        expect(a.body).toEqual(b.body);
      }
      const a = await t.http
        .delete(`/api-tokens/${await ctx.freshApiToken()}`)
        .set(as('otherAdmin'));
      const b = await t.http.delete(`/api-tokens/${missing}`).set(as('otherAdmin'));
      expectStatus(a, 404);
      expect(a.body).toEqual(b.body);
    });
  });
});
