import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { sendChecked, StatusTally } from './support/fuzz-checks';
import {
  startFuzzTarget,
  type Encoding,
  type FuzzRoute,
  type FuzzTarget,
  type RawRequest,
} from './support/fuzz-target';
import { encode, hostileHeaderValue, hostileString } from './support/hostile';
import { declaredRoutes, routeKey } from './support/routes';

/**
 * Every route with a valid body but hostile transport: malformed or guessed credentials in the
 * Authorization header and the session cookie (including cookie-parser's "j:" JSON cookies),
 * content types and encodings that do not match the body, odd Accept and X-Request-Id headers,
 * and path segments no id looks like. Whatever arrives: below 500, nothing written on a refusal,
 * a credential that is not a live one never gets past a protected route, and the request id that
 * comes back is always a safe one. Then bodies over MAX_BODY_BYTES, every way they can be sent:
 * 413 and nothing written. FUZZ_RUNS sets the runs per route (default 30).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const ROUTES = declaredRoutes();
const MAX_BODY_BYTES = 20_000;
const REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

jest.setTimeout(30_000 + RUNS * 500);

const CONTENT_TYPE: Record<Exclude<Encoding, 'none'>, string> = {
  json: 'application/json',
  csv: 'text/csv',
  form: 'application/x-www-form-urlencoded',
};

/** The route's valid body, as it would be sent. */
function validBody(route: FuzzRoute): { contentType: string; body: string } | null {
  switch (route.encoding) {
    case 'json':
      return { contentType: CONTENT_TYPE.json, body: JSON.stringify(route.body) };
    case 'csv':
      return { contentType: CONTENT_TYPE.csv, body: route.body as string };
    case 'form':
      return {
        contentType: CONTENT_TYPE.form,
        body: (route.body as [string, string][])
          .map(([k, v]) => `${encode(k)}=${encode(v)}`)
          .join('&'),
      };
    case 'none':
      return null;
  }
}

const shaped = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** What is in the Authorization header: the live session (true) or something else. */
type Credential = { live: true } | { live: false; header: string | null };

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { arbitrary: fc.constant({ live: true as const }), weight: 5 },
  {
    arbitrary: fc
      .oneof(
        fc.constant(null),
        fc.constantFrom(
          '',
          'Bearer',
          'Bearer ',
          'bearer',
          'Bearer  ',
          'Basic YWRtaW46YWRtaW4=',
          'Bearer a b',
          'Token abc',
          'Bearer null',
          'Bearer undefined',
          'Bearer trl_s_',
          'Bearer trl_t_',
          'Bearer p_',
          'Bearer [object Object]',
          'Bearer {"a":1}',
        ),
        fc.constantFrom('trl_s_', 'trl_t_', 'p_', '').map((p) => `Bearer ${shaped(p)}`),
        hostileHeaderValue.map((v) => `Bearer ${v}`),
        hostileHeaderValue,
      )
      .map((header) => ({ live: false as const, header })),
    weight: 3,
  },
);

/** The session cookie: absent, the live session, or something else. */
type Cookie = 'none' | 'live' | { other: string };
const cookie: fc.Arbitrary<Cookie> = fc.oneof(
  { arbitrary: fc.constant('none' as const), weight: 4 },
  { arbitrary: fc.constant('live' as const), weight: 1 },
  {
    arbitrary: fc
      .oneof(
        fc.constantFrom(
          'trellis_session=j:{"a":1}',
          'trellis_session=j:[1,2]',
          'trellis_session=j:1',
          'trellis_session=j:null',
          'trellis_session=j:"trl_s_x"',
          'trellis_session=j:{',
          'trellis_session=s:signed.value',
          'trellis_session=%zz',
          'trellis_session=%00',
          'trellis_session=',
          'trellis_session="quoted"',
          'trellis_session=a; trellis_session=b',
          ';;;',
          '=',
          `trellis_session=${'a'.repeat(5000)}`,
        ),
        fc.constantFrom('trl_s_', 'trl_t_').map((p) => `trellis_session=${shaped(p)}`),
        hostileHeaderValue.map((v) => `trellis_session=${v}`),
        hostileHeaderValue,
      )
      .map((other) => ({ other })),
    weight: 2,
  },
);

const contentType = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  fc.constantFrom(
    'text/csv',
    'text/plain',
    'application/json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'multipart/form-data',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'text/csv; charset=utf-7',
    'application/x-www-form-urlencoded; charset=iso-8859-1',
    'application/xml',
    'application/octet-stream',
    'application/merge-patch+json',
    '*/*',
    'application/',
    'application/json;;',
    '',
  ),
  hostileHeaderValue,
);

const contentEncoding = fc.oneof(
  { arbitrary: fc.constant(null), weight: 6 },
  fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'compress', 'x-foo', 'gzip, gzip', 'GZIP'),
  // Really compressed, so it must read exactly as the plain body does.
  fc.constant('gzip (compressed)'),
);

const optional = (arb: fc.Arbitrary<string>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, arb);

const otherHeaders = fc.array(
  fc.tuple(
    fc.constantFrom(
      'accept',
      'accept-language',
      'accept-charset',
      'x-forwarded-for',
      'x-forwarded-proto',
      'x-forwarded-host',
      'forwarded',
      'origin',
      'referer',
      'range',
      'if-none-match',
      'if-modified-since',
      'x-http-method-override',
      'user-agent',
      'x-real-ip',
    ),
    fc.oneof(
      fc.constantFrom(
        'text/html',
        'application/json',
        '*/*',
        'image/png',
        'text/html;q=0',
        '999.1.1.1, ::1',
        'bytes=0-1,-5',
      ),
      hostileHeaderValue,
    ),
  ),
  { maxLength: 3 },
);

/** A path segment no id looks like. */
const hostileSegment = fc.oneof(
  hostileString.map(encode),
  fc.constantFrom(
    '%',
    '%zz',
    '%c0%ae',
    '%00',
    '..',
    '%2e%2e',
    '%2F',
    '.',
    '%252F',
    'a'.repeat(3000),
  ),
  fc.uuid(),
  fc.constantFrom('p_', 'trl_s_').map(shaped),
);

describe('fuzzing every route: headers, credentials and path segments', () => {
  let f: FuzzTarget;

  beforeAll(async () => {
    f = await startFuzzTarget('fuzz-headers', { MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  }, 120_000);
  afterAll(() => f?.close());

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s', async (key) => {
    const route = f.routes.find((r) => routeKey(r) === key)!;
    const tally = new StatusTally();
    const segments = route.params.length
      ? fc.option(
          fc.tuple(fc.constantFrom(...route.params), hostileSegment).map(([p, s]) => ({ [p]: s })),
          { freq: 3 },
        )
      : fc.constant(null);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          credential,
          cookie,
          contentType,
          contentEncoding,
          requestId: optional(fc.oneof(fc.stringMatching(REQUEST_ID), hostileHeaderValue)),
          otherHeaders,
          segments,
        }),
        async (c) => {
          const session = await f.bearer();
          const headers: Record<string, string> = {};
          if (c.credential.live) headers.authorization = `Bearer ${session}`;
          else if (c.credential.header !== null) headers.authorization = c.credential.header;
          if (c.cookie === 'live') headers.cookie = `trellis_session=${session}`;
          else if (c.cookie !== 'none') headers.cookie = c.cookie.other;
          for (const [name, value] of c.otherHeaders) headers[name] = value;
          if (c.requestId !== null) headers['x-request-id'] = c.requestId;
          const valid = validBody(route);
          let body: string | Buffer | undefined = valid?.body;
          if (valid) headers['content-type'] = valid.contentType;
          if (c.contentType !== null) headers['content-type'] = c.contentType;
          if (c.contentEncoding === 'gzip (compressed)') {
            if (body !== undefined) body = gzipSync(body);
            headers['content-encoding'] = 'gzip';
          } else if (c.contentEncoding !== null) headers['content-encoding'] = c.contentEncoding;

          const req: RawRequest = {
            method: route.method,
            path: await f.pathFor(route, c.segments ?? {}),
            headers,
            body,
          };
          const res = await sendChecked(f, route, req);
          tally.add(res.status);

          // A credential that is not the live session never opens a protected route.
          // An empty Authorization header is no header: the cookie speaks.
          const noHeader = c.credential.live === false && !c.credential.header?.trim();
          const live = c.credential.live || (noHeader && c.cookie === 'live');
          // (A browser that is not signed in is sent to the sign-in form: a refusal too.)
          const toSignIn =
            res.status === 303 && /^\/sign-in(\?|$)/.test(String(res.headers.location));
          if (!route.public && !live && res.status < 400 && !toSignIn)
            throw new Error(`${key} answered ${res.status} to ${JSON.stringify(headers)}`);
          // Every answer carries a request id, refusals of bodies that do not parse included,
          // and it is a safe one: the caller's if theirs was.
          const echoed = res.headers['x-request-id'];
          // (Node's HTTP parser itself answers requests it cannot read, such as headers over
          // its size limit, with a bare 400 or 431 before any of the app's code runs.)
          const fromNode = [400, 431].includes(res.status) && !res.headers['content-type'];
          if (echoed === undefined && !fromNode)
            throw new Error(`${key} answered ${res.status} without a request id`);
          if (echoed !== undefined) {
            const safe = c.requestId !== null && REQUEST_ID.test(c.requestId);
            if (!REQUEST_ID.test(String(echoed)) || (safe && echoed !== c.requestId))
              throw new Error(
                `${key} answered the request id ${JSON.stringify(echoed)} to ${JSON.stringify(c.requestId)}`,
              );
          }
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    if (f.resolves(route) && tally.reachedHandler() === 0)
      throw new Error(`${key}: no request reached the handler (${tally.toString()})`);
  });

  describe(`bodies over MAX_BODY_BYTES (${MAX_BODY_BYTES})`, () => {
    const over = MAX_BODY_BYTES + 1;
    const OVERSIZED: Record<Exclude<Encoding, 'none'>, string> = {
      json: JSON.stringify({ name: 'x'.repeat(over) }),
      csv: `email,name\n${'x'.repeat(over)}@example.test,X\n`,
      form: `name=${'x'.repeat(over)}`,
    };

    it.each(ROUTES.map((r) => [routeKey(r), r] as const))(
      '%s: 413 for JSON, CSV and form bodies, sized or chunked, and nothing written',
      async (key) => {
        const route = f.routes.find((r) => routeKey(r) === key)!;
        const path = await f.pathFor(route);
        for (const [encoding, body] of Object.entries(OVERSIZED) as [
          keyof typeof OVERSIZED,
          string,
        ][])
          for (const chunked of [false, true]) {
            const res = await sendChecked(f, route, {
              method: route.method,
              path,
              headers: {
                authorization: `Bearer ${await f.bearer()}`,
                'content-type': CONTENT_TYPE[encoding],
              },
              body,
              chunked,
            });
            expect({ encoding, chunked, status: res.status, body: res.json }).toEqual({
              encoding,
              chunked,
              status: 413,
              body: { statusCode: 413, message: 'body: too large' },
            });
          }
      },
    );

    it('a compressed body is measured after inflating it: a small gzip bomb is a 413', async () => {
      const route = f.routes.find((r) => routeKey(r) === 'POST /organisations/:orgId/people')!;
      const bomb = gzipSync(
        JSON.stringify({ email: 'bomb@example.test', name: ' '.repeat(1_000_000) }),
      );
      expect(bomb.length).toBeLessThan(MAX_BODY_BYTES);
      const res = await sendChecked(f, route, {
        method: 'POST',
        path: await f.pathFor(route),
        headers: {
          authorization: `Bearer ${await f.bearer()}`,
          'content-type': 'application/json',
          'content-encoding': 'gzip',
        },
        body: bomb,
      });
      expect(res.status).toBe(413);
    });

    it('bodies the app does not read (multipart, octet-stream) are never a 500, however large', async () => {
      for (const route of f.routes.filter((r) => r.method !== 'GET')) {
        for (const type of ['multipart/form-data; boundary=x', 'application/octet-stream']) {
          const res = await sendChecked(f, route, {
            method: route.method,
            path: await f.pathFor(route),
            headers: { authorization: `Bearer ${await f.bearer()}`, 'content-type': type },
            body: Buffer.alloc(MAX_BODY_BYTES * 5, 120),
          });
          expect(res.status).toBeLessThan(500);
        }
      }
    });

    it('a body of exactly MAX_BODY_BYTES is read, not refused for its size', async () => {
      const route = f.routes.find((r) => routeKey(r) === 'POST /organisations/:orgId/people')!;
      const shell = JSON.stringify({ email: 'edge@example.test', name: 'Edge', padding: '' });
      const body = shell.replace(
        '"padding":""',
        `"padding":"${'x'.repeat(MAX_BODY_BYTES - shell.length)}"`,
      );
      expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
      const res = await sendChecked(f, route, {
        method: 'POST',
        path: await f.pathFor(route),
        headers: {
          authorization: `Bearer ${await f.bearer()}`,
          'content-type': 'application/json',
        },
        body,
      });
      // Read and validated: the unknown field is named.
      expect({
        status: res.status,
        fields: (res.json as { errors?: { field: string }[] }).errors?.map((e) => e.field),
      }).toEqual({
        status: 400,
        fields: ['padding'],
      });
    });
  });
});
