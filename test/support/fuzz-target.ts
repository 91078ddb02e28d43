import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ApiTokensService } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { CommitmentsService } from '@trellis/reporting';
import { AnswerSealer, AUTONOMY_ALIGNMENT_PULSE, InstrumentsService } from '@trellis/surveys';
import { createOrg, PASSWORD, principalOf, type OrgFixture } from './fixtures';
import type { Json } from './hostile';
import { startMailbox, tokenOf } from './mailbox';
import { declaredRoutes, routeKey, type Route } from './routes';
import { openRoundNow } from './surveys';
import { createTestApp, type TestApp } from './test-app';

/**
 * A running API with an organisation in it and everything a request to any route needs to get
 * past routing and authorization: ids for every route parameter, a signed-in admin (signed in
 * again whenever a request ends the session), unanswered personal links, and a valid body for
 * each route to vary. Requests go over real HTTP with Node's own client, byte for byte as built.
 */

export type Encoding = 'json' | 'csv' | 'form' | 'none';

export interface FuzzRoute extends Route {
  /** How the route takes its body: from the OpenAPI document; undocumented pages take forms. */
  encoding: Encoding;
  /** Documented query parameters. */
  queryNames: string[];
  /** A valid body: JSON value, CSV text or form fields. */
  body?: Json | string | [string, string][];
  /** A valid query. */
  query?: Record<string, string>;
  /** Whether the route is in the OpenAPI document (the JSON API, with its error contract). */
  documented: boolean;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body in pieces without a Content-Length (chunked transfer encoding). */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json?: unknown;
}

interface OpenApiSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
}
interface OpenApiOperation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content: Record<string, { schema?: OpenApiSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, OpenApiSchema> };
}

/** A column excluded from the fingerprint: authenticating with an API token notes when it was used. */
const VOLATILE_COLUMNS = ['last_used_at'];

const CROWD = 60;
const ANSWER_WITHIN_MS = 10_000;

const INSTRUMENT: { [key: string]: Json } = {
  key: 'fuzz-check',
  name: 'Fuzz check',
  description: 'Two dimensions, three items',
  scale: { min: 1, max: 5, labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] },
  dimensions: [
    { key: 'focus', name: 'Focus', description: 'Whether the team can focus' },
    { key: 'trust', name: 'Trust', description: '' },
  ],
  items: [
    { key: 'f1', dimension: 'focus', text: 'We can focus.', selfText: 'I let the team focus.' },
    { key: 'f2', dimension: 'focus', text: 'Interruptions are rare.', reverse: false },
    { key: 't1', dimension: 'trust', text: 'We trust each other.', source: 'own wording' },
  ],
};

export interface FuzzTarget {
  t: TestApp;
  org: OrgFixture;
  routes: FuzzRoute[];
  /** The id each known route parameter gets; others are looked up in the table of that name. */
  ids: Record<string, string>;
  send(req: RawRequest): Promise<RawResponse>;
  /** The admin's session token, valid now. */
  bearer(): Promise<string>;
  /** The route's path with every parameter filled in; `override` replaces raw segments. */
  pathFor(route: Route, override?: Record<string, string>): Promise<string>;
  /** Whether every parameter of the route names something that exists (not a made-up id). */
  resolves(route: Route): boolean;
  /** Call after every request: hands out a new link once one is used, and restores the admin's session. */
  settle(route: Route, status: number): Promise<void>;
  /** Row count and content hash of every table: equal fingerprints, nothing written. */
  fingerprint(): Promise<Record<string, string>>;
  close(): Promise<void>;
}

function resolve(doc: OpenApiDocument, schema: OpenApiSchema | undefined): OpenApiSchema {
  if (!schema?.$ref) return schema ?? {};
  return doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {};
}

/** A valid-looking value built from a documented schema: its example, first option or a plain value. */
function fromSchema(
  doc: OpenApiDocument,
  raw: OpenApiSchema | undefined,
  name: string,
  ids: Record<string, string>,
  depth = 0,
): Json {
  const schema = resolve(doc, raw);
  if (schema.example !== undefined) return schema.example as Json;
  if (schema.enum?.length) return schema.enum[0] as Json;
  if (schema.default !== undefined) return schema.default as Json;
  if (/Ids$/.test(name)) return [ids[name.replace(/s$/, '')] ?? ids.teamId];
  if (/Id$/.test(name)) return ids[name] ?? randomUUID();
  switch (schema.type) {
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return depth > 3 ? [] : [fromSchema(doc, schema.items, name, ids, depth + 1)];
    case 'object':
    case undefined:
      return depth > 3 || !schema.properties
        ? {}
        : Object.fromEntries(
            Object.entries(schema.properties).map(([k, s]) => [
              k,
              fromSchema(doc, s, k, ids, depth + 1),
            ]),
          );
    default:
      return name;
  }
}

function rawRequest(agent: Agent, port: number, req: RawRequest): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const body =
      req.body === undefined
        ? undefined
        : Buffer.isBuffer(req.body)
          ? req.body
          : Buffer.from(req.body);
    const headers: Record<string, string> = { ...req.headers };
    if (body !== undefined && !req.chunked) headers['content-length'] = String(body.length);
    // Node frames a GET or DELETE body only when told to.
    if (body !== undefined && req.chunked) headers['transfer-encoding'] = 'chunked';
    let answered = false;
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/json/.test(res.headers['content-type'] ?? '')) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // A server may answer (413) and close before the whole body is written; the answer counts.
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    // An answer that never comes is a failure too, and must not hold the socket (or the test) open.
    outgoing.setTimeout(ANSWER_WITHIN_MS, () => {
      reject(new Error(`no complete answer within ${ANSWER_WITHIN_MS} ms`));
      outgoing.destroy();
    });
    if (body !== undefined && req.chunked)
      for (let at = 0; at < body.length; at += 4096) outgoing.write(body.subarray(at, at + 4096));
    outgoing.end(req.chunked ? undefined : body);
  });
}

export async function startFuzzTarget(
  slug: string,
  env: Record<string, string> = {},
): Promise<FuzzTarget> {
  const mailbox = await startMailbox();
  const t = await createTestApp({
    SMTP_URL: mailbox.url,
    REQUEST_LIMIT_PER_MINUTE: '1000000',
    SIGN_IN_LIMIT: '10000',
    SIGN_IN_ADDRESS_LIMIT: '10000',
    ...env,
  }).catch(async (error: unknown) => {
    await mailbox.close();
    throw error;
  });
  const server = t.app.getHttpServer() as Server;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (req: RawRequest) => rawRequest(agent, port, req);

  const org = await createOrg(t.app, slug);
  const people = t.app.get(PeopleService);

  // Who the routes about a person act on: never the signed-in admin.
  const victim = await people.create(org.orgId, { email: `victim@${slug}.test`, name: 'Victim' });
  await people.addMembership(org.teamId, victim.id, 'member');
  const crowd: string[] = [];
  for (let i = 0; i < CROWD; i++) {
    const email = `crowd-${i}@${slug}.test`;
    const person = await people.create(org.orgId, { email, name: `Crowd ${i}` });
    await people.addMembership(org.teamId, person.id, 'member');
    crowd.push(email);
  }
  const instrument = await t.app.get(InstrumentsService).create(org.orgId, INSTRUMENT);
  const round = await openRoundNow(t.app, org, { teamIds: [org.teamId] });
  const spareTokens = crowd.map((email) => tokenOf(mailbox.linksFor(email)[0]));
  const hrPrincipal = principalOf(org, 'hr');
  const apiToken = await t.app.get(ApiTokensService).create(hrPrincipal, 'fuzzed');
  const commitment = await t.app.get(CommitmentsService).create(org.teamId, hrPrincipal, {
    action: 'Vet plans together',
    owner: 'the team',
    dueOn: '2030-01-31',
    dimension: 'leader_support',
  });
  // An author's conversation link on a comment of the round, stored as the mix writes it, so
  // the /c/:token routes are fuzzed past the link lookup (a pulse link is not one).
  const sealer = t.app.get(AnswerSealer);
  const conversation = `trl_c_${randomBytes(32).toString('base64url')}`;
  await t.db.query(
    `insert into comment (id, organisation_id, round_id, unit_id, submitted_on, sealed, conversation)
     values ($1, $2, $3, $4, current_date, $5, $6)`,
    [
      randomUUID(),
      org.orgId,
      round.roundId,
      org.teamId,
      sealer.sealAuthorComments(round.roundId, org.teamId, [{ dimension: null, text: 'fuzz' }]),
      sealer.conversationHash(conversation),
    ],
  );
  const docRes = await send({ method: 'GET', path: '/docs/openapi.json' });
  const doc = docRes.json as OpenApiDocument;

  const ids: Record<string, string> = {
    orgId: org.orgId,
    unitId: org.teamId,
    teamId: org.teamId,
    parentId: org.deptId,
    personId: victim.id,
    tokenId: apiToken.id,
    instrumentId: instrument.id,
    campaignId: round.campaignId,
    roundId: round.roundId,
    commitmentId: commitment.id,
    role: 'hr',
  };
  let token = spareTokens.pop()!;
  const form = await send({ method: 'GET', path: `/pulse/${token}` });
  const { items, scale } = form.json as { items: { key: string }[]; scale: { min: number } };
  const answers = Object.fromEntries(items.map((item, i) => [item.key, scale.min + (i % 3)]));

  // Valid bodies where the OpenAPI document cannot say (free-form objects, CSV, the pages' forms).
  const [a, b] = AUTONOMY_ALIGNMENT_PULSE.items;
  const bodies: Record<string, Json | string | [string, string][]> = {
    'POST /auth/sign-in': { email: org.admin.email, password: PASSWORD },
    'PUT /auth/password': { currentPassword: PASSWORD, newPassword: 'another long password' },
    'POST /organisations/:orgId/units': {
      name: 'Fuzz unit',
      key: 'fuzz-unit',
      kind: 'team',
      parentId: org.deptId,
    },
    'POST /units/:unitId/members': { personId: victim.id, role: 'member' },
    'POST /organisations/:orgId/people': { email: `new@${slug}.test`, name: 'New person' },
    'PUT /people/:personId/roles': { roles: ['hr'] },
    'PUT /people/:personId/password': { password: 'a long enough password' },
    'POST /organisations/:orgId/instruments': { ...INSTRUMENT, key: 'fuzz-new' },
    'PUT /instruments/:instrumentId': INSTRUMENT,
    'POST /organisations/:orgId/campaigns': {
      name: 'Fuzz pulse',
      form: 'short',
      cadence: 'weekly',
      timezone: 'Europe/Berlin',
      openDays: 5,
      reminderDays: [2],
      startsOn: '2030-01-07',
      teamIds: [org.teamId],
    },
    'PATCH /campaigns/:campaignId': { name: 'Renamed pulse', active: true, reminderDays: [0.5] },
    'POST /pulse/:token': { answers, comment: 'Fine by me' },
    'POST /units/:unitId/commitments': {
      action: 'Vet plans together',
      owner: 'Lead',
      dueOn: '2030-01-31',
      dimension: 'leader_support',
    },
    'PATCH /commitments/:commitmentId': { status: 'done', owner: 'Someone else' },
    'POST /organisations/:orgId/roster-imports': `email,name,team_key,team_name,department,role\nfuzz-r@${slug}.test,Fuzz Roster,fuzz-team,Fuzz Team,Engineering,member\n`,
    'POST /organisations/:orgId/roster/preview': `email,name,team_key,team_name,department,role\nfuzz-p@${slug}.test,Fuzz Preview,fuzz-team,Fuzz Team,Engineering,member\n`,
    'POST /organisations/:orgId/roster': `email,name,team_key,team_name,department,role\nfuzz-c@${slug}.test,Fuzz Confirm,fuzz-team,Fuzz Team,Engineering,member\n`,
    'POST /organisations/:orgId/history-imports': `team,${a.key},${b.key}\nplatform,1,2\nplatform,3,\n`,
    'POST /sign-in': [
      ['email', org.admin.email],
      ['password', PASSWORD],
    ],
    'POST /r/:token': [
      ...Object.entries(answers).map(([k, v]): [string, string] => [`answers[${k}]`, String(v)]),
      ['comment', 'All good'],
    ],
    'POST /app/units/:unitId/commitments': [
      ['action', 'Vet plans together'],
      ['owner', 'Lead'],
      ['dueOn', '2030-01-31'],
      ['dimension', 'leader_support'],
      ['flagCode', ''],
    ],
    'POST /app/commitments/:commitmentId': [
      ['action', 'Vet plans together'],
      ['owner', 'Lead'],
      ['dueOn', '2030-01-31'],
      ['status', 'done'],
      ['note', ''],
    ],
  };
  const queries: Record<string, Record<string, string>> = {
    'POST /organisations/:orgId/history-imports': {
      periodStart: '2025-01-06',
      periodEnd: '2025-01-19',
    },
    'POST /organisations/:orgId/roster-imports': { dryRun: 'false' },
    // A well-formed hash of no preview: the confirmation is refused (409) and writes nothing.
    'POST /organisations/:orgId/roster': { preview: `${'a'.repeat(64)}.${'b'.repeat(64)}` },
    'GET /organisations/:orgId/people': { search: 'crowd', limit: '10', offset: '0' },
  };

  const routes: FuzzRoute[] = declaredRoutes().map((route) => {
    const key = routeKey(route);
    const operation = doc.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[
      route.method.toLowerCase()
    ] as OpenApiOperation | undefined;
    const content = operation?.requestBody?.content ?? {};
    const encoding: Encoding = content['text/csv']
      ? 'csv'
      : content['application/json']
        ? 'json'
        : !operation && route.method !== 'GET' && route.method !== 'DELETE'
          ? 'form'
          : 'none';
    const body =
      bodies[key] ??
      (encoding === 'json'
        ? fromSchema(doc, content['application/json'].schema, 'body', ids)
        : encoding === 'form'
          ? []
          : undefined);
    return {
      ...route,
      encoding,
      documented: operation !== undefined,
      queryNames: (operation?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body,
      query: queries[key],
    };
  });

  const fingerprintSql = async () => {
    const { rows } = await t.db.query<{ name: string }>(
      `select table_name as name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'migrations'
        order by 1`,
    );
    const volatile = `'{${VOLATILE_COLUMNS.join(',')}}'::text[]`;
    return rows
      .map(
        ({ name }) =>
          `select '${name}' as name, (select count(*) || ':' || coalesce(md5(string_agg(h, '' order by h)), '')
             from (select md5((to_jsonb(x) - ${volatile})::text) as h from "${name}" x) rows) as print`,
      )
      .join('\nunion all\n');
  };
  const sql = await fingerprintSql();
  const fingerprint = async () => {
    const { rows } = await t.db.query<{ name: string; print: string }>(sql);
    return Object.fromEntries(rows.map((r) => [r.name, r.print]));
  };

  // Parameters no fixture knows (a route added later): the first row of the table of that name.
  const looked = new Map<string, string>();
  const lookUp = async (param: string): Promise<string> => {
    if (!looked.has(param)) {
      const table = param.replace(/Id$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const { rows } = await t.db.query<{ name: string }>(
        `select column_name as name from information_schema.columns
          where table_schema = 'public' and table_name = $1`,
        [table],
      );
      const columns = rows.map((r) => r.name);
      let id: string | undefined;
      if (columns.includes('id')) {
        const mine = columns.includes('organisation_id');
        const found = await t.db.query<{ id: string }>(
          `select id::text as id from "${table}" ${mine ? 'where organisation_id = $1' : ''} limit 1`,
          mine ? [org.orgId] : [],
        );
        id = found.rows[0]?.id;
      }
      if (id) looked.set(param, id);
      else return randomUUID();
    }
    return looked.get(param)!;
  };

  // The fuzzer's caller holds both organisation roles, so HR-only routes (comments, exports of
  // comments) are fuzzed past the access check too; as an admin alone every such request was a 403.
  await people.setRoles(org.admin.id, ['admin', 'hr']);
  const freshSession = async () => {
    const res = await send({
      method: 'POST',
      path: '/auth/sign-in',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: org.admin.email, password: PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
    return (res.json as { token: string }).token;
  };
  let session = await freshSession();
  const passwordHash = async () =>
    (
      await t.db.query<{ h: string | null }>(
        'select password_hash as h from person where id = $1',
        [org.admin.id],
      )
    ).rows[0]?.h;
  const knownHash = await passwordHash();

  return {
    t,
    org,
    routes,
    ids,
    send,
    bearer: async () => session,
    resolves: (route) =>
      route.params.every((p) => p === 'token' || ids[p] !== undefined || looked.has(p)),
    async pathFor(route, override = {}) {
      let path = route.path;
      for (const param of route.params) {
        const value =
          override[param] ??
          (param === 'token'
            ? route.path.startsWith('/c/')
              ? conversation
              : token
            : ids[param] !== undefined
              ? ids[param]
              : await lookUp(param));
        path = path.replace(`:${param}`, override[param] ?? encodeURIComponent(value));
      }
      return path;
    },
    async settle(route, status) {
      if (
        route.params.includes('token') &&
        !route.path.startsWith('/c/') &&
        route.method === 'POST' &&
        status < 400
      )
        token = spareTokens.pop() ?? token;
      if (status >= 400 || route.method === 'GET') return;
      // The request may have changed the admin's password or ended the session (sign-out).
      if ((await passwordHash()) !== knownHash)
        await t.db.query('update person set password_hash = $2 where id = $1', [
          org.admin.id,
          knownHash,
        ]);
      const me = await send({
        method: 'GET',
        path: '/auth/me',
        headers: { authorization: `Bearer ${session}` },
      });
      if (me.status === 401) session = await freshSession();
    },
    fingerprint,
    async close() {
      agent.destroy();
      await t.close();
      await mailbox.close();
    },
  };
}
