import fc from 'fast-check';
import { sendChecked, StatusTally } from './support/fuzz-checks';
import { startFuzzTarget, type FuzzRoute, type FuzzTarget } from './support/fuzz-target';
import {
  csvBody,
  formBody,
  hostileJson,
  jsonBody,
  queryString,
  type Json,
} from './support/hostile';
import { declaredRoutes, routeKey, servedRoutes } from './support/routes';

/**
 * Property-based fuzzing of every route's body and query string, signed in as an admin so each
 * request gets past authorization to validation and the service behind it. Whatever arrives, the
 * answer is below 500, a refusal writes nothing anywhere in the database, and no body pollutes
 * Object.prototype (see sendChecked). Routes come from the controllers' metadata, so a route added
 * later is fuzzed without touching this file. FUZZ_RUNS sets the runs per route (default 30).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
// Routes that create things first, so routes about such things (a download, say) find one.
const ORDER = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE'];
const ROUTES = declaredRoutes().sort((a, b) => ORDER.indexOf(a.method) - ORDER.indexOf(b.method));
// Above every generated body but for the few built to cross it.
const MAX_BODY_BYTES = 100_000;

jest.setTimeout(30_000 + RUNS * 500);

interface Payload {
  contentType: string;
  body: string;
}

/** A body in the route's own encoding most of the time, now and then in another one. */
function payloadFor(route: FuzzRoute): fc.Arbitrary<Payload | null> {
  const json = (seed: Json | undefined) =>
    jsonBody(seed).map((body) => ({ contentType: 'application/json', body }));
  const csv = (seed: string) => csvBody(seed).map((body) => ({ contentType: 'text/csv', body }));
  const form = (seed: [string, string][]) =>
    formBody(seed).map((body) => ({ contentType: 'application/x-www-form-urlencoded', body }));
  const stray = hostileJson.map((body) => ({ contentType: 'application/json', body }));
  switch (route.encoding) {
    case 'json':
      return fc.oneof(
        { arbitrary: json(route.body as Json), weight: 8 },
        form([]),
        csv('a,b\n1,2'),
      );
    case 'csv':
      return fc.oneof({ arbitrary: csv(route.body as string), weight: 8 }, stray, form([]));
    case 'form':
      return fc.oneof(
        { arbitrary: form(route.body as [string, string][]), weight: 8 },
        stray,
        csv('a,b\n1,2'),
      );
    case 'none':
      return fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, stray, form([]));
  }
}

describe('fuzzing every route: bodies and query strings', () => {
  let f: FuzzTarget;

  beforeAll(async () => {
    f = await startFuzzTarget('fuzz', { MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
  }, 120_000);
  afterAll(() => f?.close());

  it('fuzzes exactly the routes the running app serves', () => {
    expect(ROUTES.map(routeKey).sort()).toEqual(servedRoutes(f.t.app));
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s', async (key) => {
    const route = f.routes.find((r) => routeKey(r) === key)!;
    const tally = new StatusTally();
    await fc.assert(
      fc.asyncProperty(
        queryString(route.queryNames, route.query),
        payloadFor(route),
        async (query, payload) => {
          const headers: Record<string, string> = { authorization: `Bearer ${await f.bearer()}` };
          if (payload) headers['content-type'] = payload.contentType;
          const res = await sendChecked(f, route, {
            method: route.method,
            path: `${await f.pathFor(route)}${query}`,
            headers,
            body: payload?.body,
          });
          tally.add(res.status);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // Signed in, with ids of things that exist, requests must get past routing and sign-in
    // (an answer other than 401, 403, 404, 405): otherwise this fuzzed nothing.
    if (f.resolves(route) && tally.reachedHandler() === 0)
      throw new Error(`${key}: no request reached the handler (${tally.toString()})`);
  });
});
