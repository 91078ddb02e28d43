import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'supertest';
import { intakeToken } from '../apps/api/src/surveys/pulse-intake';
import { createOrg, type OrgFixture } from './support/fixtures';
import { addMembers, answersFor, mintLinks, type Link } from './support/links';
import { freePort, launch } from './support/processes';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * POST /pulse/:token has a fast path in front of Nest's router (apps/api/src/surveys/pulse-intake.ts).
 * Each case is sent twice: as the JSON API's clients send it (the fast path takes it) and with a
 * harmless cookie (the fast path leaves it to the Nest route). Both must answer the same status,
 * body and headers, store the same, and count against the same per-address limit; the guard's
 * calls show that two different paths did serve them.
 */
describe('answer intake: the fast path answers exactly as the route', () => {
  let t: TestApp;
  let org: OrgFixture;
  let roundId: string;
  let links: Link[];
  let items: { key: string }[];
  let guardInstances: unknown[];

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'intake');
    await addMembers(t.app, org.orgId, org.teamId, 14, 'intake');
    ({ roundId } = await openRoundNow(t.app, org));
    // One team's links only: the fixture's other teams answer with their own team's name, and
    // invitation ids are random, so mixing teams would compare two different right answers.
    links = (await mintLinks(t.db, roundId)).filter(
      (l) => l.kind === 'member' && l.unitId === org.teamId,
    );
    expect(links.length).toBeGreaterThanOrEqual(14);
    const form = await t.http.get(`/pulse/${links[0].token}`);
    expect(form.status).toBe(200);
    items = form.body.items;
    const spy = jest.spyOn(ThrottlerGuard.prototype, 'canActivate');
    guardInstances = spy.mock.contexts;
  }, 60_000);

  afterAll(() => t.close());

  let next = 0;
  const fresh = (): Link => links[next++];

  const FALL_THROUGH = { cookie: 'theme=dark' };
  /** What a client sees of an answer, but for what differs by request (its id) or by second. */
  const seen = (res: Response) => ({
    status: res.status,
    body: res.body as unknown,
    type: res.headers['content-type'],
    etag: res.headers.etag,
    csp: res.headers['content-security-policy'],
    frame: res.headers['x-frame-options'],
    sniff: res.headers['x-content-type-options'],
    retryAfter: res.headers['retry-after'],
    limit: res.headers['x-ratelimit-limit'],
    requestId: typeof res.headers['x-request-id'],
  });

  /** Sends the case through the fast path, then through the route; returns both as seen. */
  async function both(
    send: (headers: Record<string, string>, side: 'fast' | 'route') => Promise<Response>,
    guarded = true,
  ) {
    const before = guardInstances.length;
    const fast = await send({}, 'fast');
    const fastGuard = guardInstances.slice(before);
    const route = await send(FALL_THROUGH, 'route');
    const routeGuard = guardInstances.slice(before + fastGuard.length);
    // One guard call each, by two different guards: two different paths served them. A body
    // the parsers refuse is refused before either path, as before.
    expect(fastGuard).toHaveLength(guarded ? 1 : 0);
    expect(routeGuard).toHaveLength(guarded ? 1 : 0);
    if (guarded) expect(fastGuard[0]).not.toBe(routeGuard[0]);
    expect(seen(fast)).toEqual(seen(route));
    return { fast, route };
  }

  const post = (link: Link, headers: Record<string, string>) =>
    t.http.post(`/pulse/${link.token}`).set(headers);

  const stored = async () =>
    (
      await t.db.query<{ marks: number; pool: number }>(
        `select (select count(*)::int from participation where round_id = $1) as marks,
                (select count(*)::int from response_pool where round_id = $1) as pool`,
        [roundId],
      )
    ).rows[0];

  it('takes only the plain JSON API request, and leaves everything else to the route', () => {
    const token = `p_${'a'.repeat(43)}`;
    const req = (url: string, headers: Record<string, string> = {}, method = 'POST') =>
      ({ method, url, headers }) as never;
    expect(intakeToken(req(`/pulse/${token}`))).toBe(token);
    expect(intakeToken(req(`/pulse/${token}`, {}, 'GET'))).toBeNull();
    expect(intakeToken(req(`/pulse/${token}/`))).toBeNull();
    expect(intakeToken(req(`/pulse/${token}?x=1`))).toBeNull();
    expect(intakeToken(req(`/PULSE/${token}`))).toBeNull();
    expect(intakeToken(req(`/pulse/p_short`))).toBeNull();
    expect(intakeToken(req(`/pulse/${token}`, { cookie: 'a=b' }))).toBeNull();
    expect(intakeToken(req(`/pulse/${token}`, { authorization: 'Bearer x' }))).toBeNull();
  });

  it('stores a submission, acknowledges a resent one, and refuses another on a used link, alike', async () => {
    const links = { fast: fresh(), route: fresh() };
    const body = { answers: answersFor(items, 4), comment: 'the same words' };
    const first = await both((h, side) => post(links[side], h).send(body));
    expect(first.fast.status).toBe(201);
    expect(first.fast.body).toEqual({ status: 'received', teamName: expect.any(String) });
    expect(await stored()).toEqual({ marks: 2, pool: 2 });

    const again = await both((h, side) => post(links[side], h).send(body));
    expect(again.fast.status).toBe(201);
    const other = await both((h, side) =>
      post(links[side], h).send({ answers: answersFor(items, 2) }),
    );
    expect(other.fast.status).toBe(409);
    // A used link is a used link, whatever came with it.
    const broken = await both((h, side) => post(links[side], h).send({ answers: {} }));
    expect(broken.fast.status).toBe(409);
    expect(await stored()).toEqual({ marks: 2, pool: 2 });
  });

  it('refuses bad bodies with the same 400 naming the field, storing nothing', async () => {
    const link = fresh();
    const answers = answersFor(items, 4);
    const missing = { ...answers };
    delete missing[items[0].key];
    let nested: unknown = 1;
    for (let i = 0; i < 40; i++) nested = { a: nested };
    const cases: unknown[] = [
      { answers: missing },
      { answers: { ...answers, [items[0].key]: 9 } },
      { answers, comment: 'a\u0000b' },
      { answers, extra: nested },
      [answers],
      {},
    ];
    for (const body of cases) {
      const { fast } = await both((h) =>
        post(link, h).set('content-type', 'application/json').send(JSON.stringify(body)),
      );
      expect(fast.status).toBe(400);
      expect(fast.body.errors?.[0]?.field ?? fast.body.message).toBeTruthy();
    }
    const { fast: malformed } = await both(
      (h) => post(link, h).set('content-type', 'application/json').send('{"answers": '),
      false,
    );
    expect(malformed.status).toBe(400);
    // The fast path runs ahead of the body parsers, with the route's own JSON parser: a body
    // too large, or an object of too many fields, is refused by it just as on the route.
    const tooLarge = await both(
      (h) =>
        post(link, h)
          .set('content-type', 'application/json')
          .send(JSON.stringify({ answers, comment: 'x'.repeat(1024 * 1024) })),
      false,
    );
    expect(tooLarge.fast.status).toBe(413);
    const fields = Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`f${i}`, i]));
    const tooMany = await both(
      (h) =>
        post(link, h)
          .set('content-type', 'application/json')
          .send(JSON.stringify({ answers, fields })),
      false,
    );
    expect(tooMany.fast.status).toBe(400);
    expect(JSON.stringify(tooMany.fast.body)).toContain('fields');
    expect(await stored()).toEqual({ marks: 2, pool: 2 });
  });

  it('leaves a body of another type to the route, which refuses it there', async () => {
    const links = { fast: fresh(), route: fresh() };
    const before = guardInstances.length;
    await both((h, side) => post(links[side], h).send({ answers: answersFor(items, 4) }));
    const [, routeGuard] = guardInstances.slice(before);
    const form = await post(fresh(), {})
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('answers=1');
    // No cookie, but a form: the route's guard saw it, and the route's validation refused it.
    expect(guardInstances.slice(before + 2)).toEqual([routeGuard]);
    expect(form.status).toBe(400);
    expect(await stored()).toEqual({ marks: 4, pool: 4 });
  });

  it('answers an unknown link 404 and a closed round 410, alike', async () => {
    const unknown: Link = { ...links[0], token: `p_${'Z'.repeat(43)}` };
    const { fast: notFound } = await both((h) =>
      post(unknown, h).send({ answers: answersFor(items, 3) }),
    );
    expect(notFound.status).toBe(404);
    const closing = { fast: fresh(), route: fresh() };
    await t.db.query(`update round set closes_at = now() - interval '1 second' where id = $1`, [
      roundId,
    ]);
    try {
      const { fast: gone } = await both((h, side) =>
        post(closing[side], h).send({ answers: answersFor(items, 3) }),
      );
      expect(gone.status).toBe(410);
    } finally {
      await t.db.query(`update round set closes_at = now() + interval '1 day' where id = $1`, [
        roundId,
      ]);
    }
  });

  it('in the running API: one per-address limit across both paths, and the same log line', async () => {
    const port = await freePort();
    const api = launch('api', {
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      REQUEST_LIMIT_PER_MINUTE: '6',
      REDIS_PREFIX: `intake-${Date.now()}`,
    });
    const send = (link: Link, route: boolean) =>
      fetch(`http://127.0.0.1:${port}/pulse/${link.token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(route ? FALL_THROUGH : {}) },
        body: JSON.stringify({ answers: answersFor(items, 5) }),
      });
    const answered: { status: number; remaining: string | null }[] = [];
    try {
      await api.waitFor(/listening on/);
      for (let i = 0; i < 8; i++) {
        const res = await send(fresh(), i % 2 === 1);
        answered.push({ status: res.status, remaining: res.headers.get('x-ratelimit-remaining') });
      }
    } finally {
      api.child.kill('SIGTERM');
    }
    // Six answers a minute from this address, counted together whichever path served them.
    expect(answered).toEqual([
      { status: 201, remaining: '5' },
      { status: 201, remaining: '4' },
      { status: 201, remaining: '3' },
      { status: 201, remaining: '2' },
      { status: 201, remaining: '1' },
      { status: 201, remaining: '0' },
      { status: 429, remaining: null },
      { status: 429, remaining: null },
    ]);
    const { stdout } = await api.finished;
    const lines = stdout
      .split('\n')
      .filter((l) => l.includes('"request completed"'))
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    expect(lines).toHaveLength(8);
    // The same line from both paths, but for the request's id, its time and the cookie's header.
    const shape = (line: Record<string, Record<string, unknown>>) => ({
      ...line,
      time: 'time',
      pid: 'pid',
      responseTime: 'ms',
      req: { ...line.req, id: 'id' },
    });
    expect(shape(lines[1])).toEqual(shape(lines[0]));
    expect(shape(lines[7])).toEqual(shape(lines[6]));
    expect(lines[0].req.url).toBe('/pulse/[token]');
    expect(lines[6].res.statusCode).toBe(429);
    expect(stdout).not.toContain(links[0].token.slice(2, 12));
  }, 60_000);
});
