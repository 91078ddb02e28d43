import { randomBytes, randomUUID } from 'node:crypto';
import { METHODS } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Response } from 'supertest';
import { ExportJobsService } from '@trellis/exports';
import { ApiTokensService, AuthService } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { CommitmentsService } from '@trellis/reporting';
import {
  AnswerSealer,
  AUTONOMY_ALIGNMENT_PULSE,
  CampaignsService,
  InstrumentsService,
} from '@trellis/surveys';
import {
  createOrg,
  PASSWORD,
  principalOf,
  signIn,
  type OrgFixture,
  type Who,
} from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
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
/** Comments are read by the leaders of the unit (or above it) and HR; not by admins as such. */
const PLATFORM_LEADER_HR: readonly Caller[] = ['leader', 'hr'];
const HR: readonly Caller[] = ['hr'];
const ADMIN: readonly Caller[] = ['admin'];

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A small valid instrument definition an organisation could define. */
function instrumentDef(key: string, name = `Instrument ${key}`) {
  return {
    key,
    name,
    description: 'A small instrument for the authorization matrix',
    scale: { min: 1, max: 4 },
    dimensions: [{ key: 'focus', name: 'Focus', description: 'Whether the team can focus' }],
    items: [{ key: 'f1', dimension: 'focus', text: 'We can work without interruptions.' }],
  };
}

/** The survey resources the table's rows act on. */
interface Surveys {
  builtInId: string;
  /** An instrument of the main organisation. */
  instrumentId: string;
  instrumentKey: string;
  /** A campaign (and its open round) over Platform only: Platform's leader leads all of it. */
  platformCampaignId: string;
  platformRoundId: string;
  /** A campaign over the sub-team Platform Data only, which is below Platform. */
  subTeamCampaignId: string;
  /** A campaign (and its open round) over Platform and Sales: no single leader leads all of it. */
  mixedCampaignId: string;
  mixedRoundId: string;
  /** Open rounds that "close now" rows may close (no worker runs here, so they stay closing). */
  closablePlatformRoundId: string;
  closableMixedRoundId: string;
  /** A personal link of the Platform round that only GET requests use, so it stays unanswered. */
  readToken: string;
  /** Unanswered personal links of the Platform round, all asking the same items; one per answer. */
  freshToken: () => string;
  /** A complete, valid set of answers for those links. */
  answers: Record<string, number>;
  /** A conversation link on a comment of the (open) Platform round, as the mix would store it. */
  conversationToken: string;
}

/** What the table's builders can use: the fixtures, and makers of fresh targets for one call. */
interface Ctx {
  org: OrgFixture;
  other: OrgFixture;
  /** Has a password; the public sign-in endpoints sign in as this person. */
  visitor: Who;
  unique: () => string;
  freshPerson: () => Promise<string>;
  freshPlatformMember: () => Promise<string>;
  /** A new person who leads Platform, for "remove as leader". */
  freshPlatformLeader: () => Promise<string>;
  freshApiToken: () => Promise<string>;
  freshCommitment: () => Promise<string>;
  /** A background export of the main organisation, queued (no worker runs here). */
  exportId: string;
  s: Surveys;
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
  body?: (c: Ctx) => object | string | Promise<object | string>;
  send?: 'json' | 'form' | 'csv';
  /** A form used before sign-in: sent with the pre-session cookie and CSRF token its page gave. */
  preSession?: true;
  /**
   * 'fresh': the call ends the session it is made with, so it gets a session of its own.
   * 'fresh-then-renew': it also ends the caller's other sessions, so the caller signs in again.
   */
  session?: 'fresh' | 'fresh-then-renew';
  verify?: (res: Response, caller: Caller) => void;
  /**
   * Why this resource endpoint lets in callers without a role in the resource's organisation;
   * only the rows listed in OPEN_BY_DESIGN may have one.
   */
  openBecause?: string;
}

const redirectsTo = (location: string) => (res: Response) =>
  expect(res.headers.location).toBe(location);

const BUILT_IN_SHARED = 'built-in instruments belong to every organisation';
const TOKEN_IS_CREDENTIAL = 'the personal link token in the path is the only credential';
const CONVERSATION_LINK =
  "the author's private conversation link in the path is the only credential";
const UNKNOWN_CONVERSATION = `trl_c_${'A'.repeat(43)}`;
const LINK_IS_CREDENTIAL = 'the emailed sign-in link token in the path is the only credential';

const campaignBody = (name: string, teamIds: string[]) => ({
  name,
  form: 'short' as const,
  cadence: 'weekly' as const,
  timezone: 'Europe/Berlin',
  openDays: 5,
  reminderDays: [2],
  startsOn: '2030-01-07',
  teamIds,
});

/** The campaign pages' form, as a browser sends it. */
const campaignForm = (name: string, teamId: string) => ({
  name,
  form: 'short',
  cadence: 'weekly',
  timezone: 'Europe/Berlin',
  openDays: '5',
  reminderDays: '2',
  startsOn: '2030-01-07',
  leaderSelfView: 'true',
  teamIds: teamId,
  intent: 'save',
});

/** A previous tool's export over the built-in instrument: two Platform respondents. */
const HISTORY_CSV = (() => {
  const [a, b] = AUTONOMY_ALIGNMENT_PULSE.items;
  return `team,${a.key},${b.key}\nplatform,1,2\nplatform,3,\n`;
})();

const formOf = (answers: Record<string, number>) =>
  Object.fromEntries(Object.entries(answers).map(([k, v]) => [`answers[${k}]`, String(v)]));

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
  { method: 'POST', path: '/auth/forgot-password', allowed: EVERYONE, ok: 202,
    body: (c) => ({ email: c.visitor.email }) },
  // An unknown token is refused the same way for everyone: the link is the only credential.
  { method: 'POST', path: '/auth/set-password', allowed: EVERYONE, ok: 410,
    body: () => ({ token: 'trl_l_unknown', newPassword: PASSWORD }) },

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
  { method: 'GET', path: '/organisations/:orgId/heatmap', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/organisations/:orgId/participation', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/units/:unitId/report', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  // --- report pages: the same rules as the JSON reports; refusals come back as HTML pages
  { method: 'GET', path: '/app/campaigns/:campaignId/rounds', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.platformCampaignId }) },
  { method: 'GET', path: '/app/campaigns/:campaignId/rounds', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ campaignId: c.s.mixedCampaignId }) },
  { method: 'GET', path: '/app/rounds/:roundId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ roundId: c.s.platformRoundId }) },
  { method: 'GET', path: '/app/rounds/:roundId', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ roundId: c.s.mixedRoundId }) },
  { method: 'GET', path: '/app/rounds/:roundId/close', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ roundId: c.s.platformRoundId }) },
  { method: 'POST', path: '/app/rounds/:roundId/close', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: (c) => ({ roundId: c.s.closablePlatformRoundId }), body: () => ({}) },
  { method: 'POST', path: '/app/rounds/:roundId/close', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: (c) => ({ roundId: c.s.closableMixedRoundId }), body: () => ({}) },
  { method: 'GET', path: '/app/rounds/:roundId/remind', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ roundId: c.s.platformRoundId }) },
  { method: 'POST', path: '/app/rounds/:roundId/remind', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: (c) => ({ roundId: c.s.platformRoundId }), body: () => ({}) },
  { method: 'POST', path: '/app/rounds/:roundId/remind', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: (c) => ({ roundId: c.s.mixedRoundId }), body: () => ({}) },
  { method: 'GET', path: '/app/units/:unitId/report', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  { method: 'POST', path: '/app/units/:unitId/commitments', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: (c) => ({ unitId: c.org.teamId }),
    body: () => ({ action: 'Vet plans together', owner: 'Lead', dueOn: '2030-01-31', dimension: 'leader_support' }) },
  { method: 'GET', path: '/app/commitments/:commitmentId', allowed: PLATFORM_LEADER, ok: 200,
    params: async (c) => ({ commitmentId: await c.freshCommitment() }) },
  { method: 'POST', path: '/app/commitments/:commitmentId', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: async (c) => ({ commitmentId: await c.freshCommitment() }),
    body: () => ({ action: 'Vet plans together', owner: 'Lead', dueOn: '2030-02-28', status: 'done', note: 'Went well' }) },
  { method: 'GET', path: '/app/organisations/:orgId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  // --- comments: the unit's leaders (and leaders above it) and HR; HR's list and export
  { method: 'GET', path: '/units/:unitId/comments', allowed: PLATFORM_LEADER_HR, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  // A mark that is none of the marks is named before any comment is looked for.
  { method: 'POST', path: '/units/:unitId/comments/:commentId/mark', allowed: PLATFORM_LEADER_HR, ok: 400,
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), status: 'loved' }) },
  // A blank reply and a hide without a reason are named before any comment is looked for.
  { method: 'POST', path: '/units/:unitId/comments/:commentId/replies', allowed: PLATFORM_LEADER_HR, ok: 400,
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), text: '  ' }) },
  { method: 'POST', path: '/units/:unitId/comments/:commentId/moderation', allowed: HR, ok: 400,
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), reason: '' }) },
  { method: 'GET', path: '/organisations/:orgId/comments', allowed: HR, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/organisations/:orgId/comments.csv', allowed: HR, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect(res.text).toBe('round,unit,theme,comment\r\n') },
  { method: 'GET', path: '/app/units/:unitId/comments', allowed: PLATFORM_LEADER_HR, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  { method: 'POST', path: '/app/units/:unitId/comments/:commentId/mark', allowed: PLATFORM_LEADER_HR, ok: 400, send: 'form',
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), status: 'loved' }) },
  { method: 'POST', path: '/app/units/:unitId/comments/:commentId/replies', allowed: PLATFORM_LEADER_HR, ok: 400, send: 'form',
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), text: '' }) },
  { method: 'POST', path: '/app/units/:unitId/comments/:commentId/moderation', allowed: HR, ok: 400, send: 'form',
    params: (c) => ({ unitId: c.org.teamId, commentId: 'AAAAAAAAAAAAAAAAAAAAAA' }),
    body: () => ({ round: randomUUID(), reason: '' }) },
  { method: 'GET', path: '/app/organisations/:orgId/comments', allowed: HR, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  // Roster import and audit log pages.
  { method: 'GET', path: '/app/organisations/:orgId/import', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  // Without a file the page asks for one.
  { method: 'POST', path: '/app/organisations/:orgId/import/preview', allowed: HR_ADMIN, ok: 400, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({}),
    verify: (res) => expect(res.text).toContain('Choose a CSV file') },
  { method: 'POST', path: '/app/organisations/:orgId/import', allowed: HR_ADMIN, ok: 400, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({ preview: 'not a hash' }),
    verify: (res) => expect(res.text).toContain('must be the previewHash') },
  { method: 'GET', path: '/app/organisations/:orgId/audit', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }), query: { kind: 'views' } },
  // A small export downloads straight away.
  { method: 'GET', path: '/app/organisations/:orgId/export', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }), query: { format: 'csv', from: '2000-01-01' },
    verify: (res) => expect(res.headers['content-disposition']).toMatch(/^attachment; filename="trellis-trends-.*\.csv"$/) },
  { method: 'POST', path: '/app/organisations/:orgId/exports', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({ format: 'xlsx', unitId: '' }),
    verify: (res) => expect(res.headers.location).toMatch(/^\/app\/exports\/[0-9a-f-]+$/) },
  { method: 'GET', path: '/app/organisations/:orgId/exports', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect(res.text).toContain('<h1>Download trend data</h1>') },
  { method: 'GET', path: '/app/exports/:exportId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ exportId: c.exportId }),
    verify: (res) => expect(res.text).toMatch(/data-status="(queued|running|ready)"/) },
  { method: 'GET', path: '/assets/:name', allowed: EVERYONE, ok: 200, params: () => ({ name: 'trellis.css' }),
    openBecause: 'the stylesheet and scripts every page loads, the sign-in page included' },

  // --- exports, the data API, the audit log and notifications: HR and admins only
  { method: 'GET', path: '/organisations/:orgId/exports/trends.csv', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect(res.headers['content-type']).toMatch(/^text\/csv/) },
  { method: 'GET', path: '/organisations/:orgId/exports/trends.xlsx', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/exports', allowed: HR_ADMIN, ok: 202,
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({ format: 'csv' }),
    verify: (res) => expect(res.body).toMatchObject({ status: 'queued' }) },
  { method: 'GET', path: '/organisations/:orgId/exports', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/exports/:exportId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ exportId: c.exportId }) },
  // Allowed callers reach the export; it is still queued, hence 409.
  { method: 'GET', path: '/exports/:exportId/download', allowed: HR_ADMIN, ok: 409,
    params: (c) => ({ exportId: c.exportId }) },
  { method: 'GET', path: '/organisations/:orgId/data/trends', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect(res.body).toMatchObject({ rows: [], nextCursor: null }) },
  { method: 'GET', path: '/organisations/:orgId/audit', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/organisations/:orgId/notifications', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/units/:unitId/commitments', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ unitId: c.org.teamId }) },
  { method: 'POST', path: '/units/:unitId/commitments', allowed: PLATFORM_LEADER, ok: 201,
    params: (c) => ({ unitId: c.org.teamId }),
    body: () => ({ action: 'Vet plans together before work starts', owner: 'Lead', dueOn: '2030-01-31', dimension: 'leader_support' }) },
  { method: 'PATCH', path: '/commitments/:commitmentId', allowed: PLATFORM_LEADER, ok: 200,
    params: async (c) => ({ commitmentId: await c.freshCommitment() }), body: () => ({ status: 'done' }) },
  { method: 'GET', path: '/organisations/:orgId/settings', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/organisations/:orgId/work', allowed: ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'PUT', path: '/organisations/:orgId/settings', allowed: ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({ anonymity: { minGroupSize: 5, minCommentGroup: 10 } }) },
  { method: 'DELETE', path: '/organisations/:orgId/settings/:group', allowed: ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId, group: 'flags' }) },
  // No webhook is saved in the matrix's organisation: an allowed caller learns that (400).
  { method: 'POST', path: '/organisations/:orgId/settings/webhook-test', allowed: ADMIN, ok: 400,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect(res.body.errors).toEqual([{ field: 'notifications.webhookUrl', message: 'is not set: save a webhook address first' }]) },
  // --- the settings and API tokens pages: the same rules as their JSON routes
  { method: 'GET', path: '/app/organisations/:orgId/settings', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/app/organisations/:orgId/settings/webhook-test', allowed: ADMIN, ok: 400, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }), body: () => ({}) },
  { method: 'POST', path: '/app/organisations/:orgId/settings/:group', allowed: ADMIN, ok: 303, send: 'form',
    params: (c) => ({ orgId: c.org.orgId, group: 'anonymity' }),
    body: () => ({ 'anonymity.minGroupSize': '5', 'anonymity.minCommentGroup': '10' }),
    verify: (res) => expect(res.headers.location).toMatch(/\/settings\?saved=anonymity#anonymity$/) },
  { method: 'POST', path: '/app/organisations/:orgId/settings/:group/reset', allowed: ADMIN, ok: 303, send: 'form',
    params: (c) => ({ orgId: c.org.orgId, group: 'flags' }), body: () => ({}) },
  { method: 'GET', path: '/app/organisations/:orgId/tokens', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/app/organisations/:orgId/tokens', allowed: HR_ADMIN, ok: 201, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }), body: (c) => ({ name: `page token ${c.unique()}` }) },
  { method: 'GET', path: '/app/api-tokens/:tokenId/revoke', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ tokenId: await c.freshApiToken() }) },
  { method: 'POST', path: '/app/api-tokens/:tokenId/revoke', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: async (c) => ({ tokenId: await c.freshApiToken() }), body: () => ({}) },
  { method: 'GET', path: '/organisations/:orgId/units', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/units', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }),
    body: (c) => { const key = `unit-${c.unique()}`; return { name: key, key, kind: 'team' }; } },
  { method: 'POST', path: '/organisations/:orgId/roster/preview', allowed: HR_ADMIN, ok: 200, send: 'csv',
    params: (c) => ({ orgId: c.org.orgId }),
    body: () => 'email,name,team_key,team_name,department,role\npreview@main.test,Preview,preview,Preview,,member\n',
    verify: (res) => expect(res.body).toMatchObject({ canConfirm: true }) },
  // Allowed callers reach the confirmation; this file is not the previewed one, hence 409.
  { method: 'POST', path: '/organisations/:orgId/roster', allowed: HR_ADMIN, ok: 409, send: 'csv',
    params: (c) => ({ orgId: c.org.orgId }), query: { preview: `${'a'.repeat(64)}.${'b'.repeat(64)}` },
    body: () => 'email,name,team_key,team_name,department,role\nconfirm@main.test,Confirm,confirm,Confirm,,member\n' },
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
  // --- people and access (the organisation in the path decides; the person must be of it)
  { method: 'GET', path: '/organisations/:orgId/people/:personId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId, personId: c.org.member.id }) },
  { method: 'PUT', path: '/organisations/:orgId/people/:personId/roles/:role', allowed: ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson(), role: 'hr' }) },
  { method: 'DELETE', path: '/organisations/:orgId/people/:personId/roles/:role', allowed: ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson(), role: 'hr' }) },
  { method: 'PUT', path: '/organisations/:orgId/people/:personId/leads/:unitId', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson(), unitId: c.org.otherTeamId }) },
  { method: 'DELETE', path: '/organisations/:orgId/people/:personId/leads/:unitId', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPlatformLeader(), unitId: c.org.teamId }) },
  { method: 'POST', path: '/organisations/:orgId/people/:personId/deactivate', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }) },
  { method: 'POST', path: '/organisations/:orgId/people/:personId/reactivate', allowed: HR_ADMIN, ok: 200,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }) },
  { method: 'POST', path: '/organisations/:orgId/people/:personId/sign-in-invitation', allowed: HR_ADMIN, ok: 202,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }) },
  { method: 'POST', path: '/organisations/:orgId/people/sign-in-invitations', allowed: ADMIN, ok: 202,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/app/organisations/:orgId/people', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/app/organisations/:orgId/people/:personId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId, personId: c.org.member.id }) },
  { method: 'POST', path: '/app/organisations/:orgId/people/:personId/roles', allowed: ADMIN, ok: 303, send: 'form',
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }),
    body: () => ({ role: 'hr', change: 'grant' }) },
  { method: 'POST', path: '/app/organisations/:orgId/people/:personId/leads', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }),
    body: (c) => ({ unitId: c.org.otherTeamId, change: 'add' }) },
  { method: 'POST', path: '/app/organisations/:orgId/people/:personId/activation', allowed: HR_ADMIN, ok: 303, send: 'form',
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }),
    body: () => ({ change: 'deactivate' }) },
  { method: 'POST', path: '/app/organisations/:orgId/people/:personId/sign-in-invitation', allowed: HR_ADMIN, ok: 303,
    params: async (c) => ({ orgId: c.org.orgId, personId: await c.freshPerson() }) },
  { method: 'GET', path: '/app/organisations/:orgId/sign-in-invitations', allowed: ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/app/organisations/:orgId/sign-in-invitations', allowed: ADMIN, ok: 303,
    params: (c) => ({ orgId: c.org.orgId }) },

  // --- server-rendered pages: public by design, they decide for themselves what to show
  { method: 'GET', path: '/', allowed: EVERYONE, ok: 303,
    verify: (res, caller) => redirectsTo(caller === 'anonymous' ? '/sign-in' : '/app')(res) },
  { method: 'GET', path: '/sign-in', allowed: EVERYONE, ok: 200 },
  { method: 'GET', path: '/forgot-password', allowed: EVERYONE, ok: 200 },
  { method: 'POST', path: '/forgot-password', allowed: EVERYONE, ok: 200, send: 'form', preSession: true,
    body: (c) => ({ email: c.visitor.email }) },
  // An unknown link: the page says it no longer works, to anyone.
  { method: 'GET', path: '/set-password/:token', allowed: EVERYONE, ok: 410, openBecause: LINK_IS_CREDENTIAL,
    params: () => ({ token: 'trl_l_unknown' }) },
  { method: 'POST', path: '/set-password/:token', allowed: EVERYONE, ok: 410, send: 'form', preSession: true, openBecause: LINK_IS_CREDENTIAL,
    params: () => ({ token: 'trl_l_unknown' }), body: () => ({ password: PASSWORD, confirm: PASSWORD }) },
  { method: 'POST', path: '/sign-in', allowed: EVERYONE, ok: 303, send: 'form', preSession: true,
    body: (c) => ({ email: c.visitor.email, password: PASSWORD }), verify: redirectsTo('/app') },
  { method: 'POST', path: '/sign-out', allowed: EVERYONE, ok: 303, session: 'fresh',
    verify: redirectsTo('/sign-in?done=signed-out') },
  // A browser that is not signed in is sent to sign in (pages-authorization); other clients get 401.
  { method: 'GET', path: '/app', allowed: SIGNED_IN, ok: 200 },

  // --- instruments (a leader of any team may read them, to pick one for a campaign)
  { method: 'GET', path: '/organisations/:orgId/instruments', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res) => expect((res.body as { id: string }[]).length).toBeGreaterThanOrEqual(2) },
  { method: 'POST', path: '/organisations/:orgId/instruments', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }), body: (c) => instrumentDef(`custom-${c.unique()}`) },
  { method: 'GET', path: '/instruments/:instrumentId', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ instrumentId: c.s.instrumentId }),
    verify: (res) => expect(res.body).toMatchObject({ builtIn: false, versions: [{ version: 1 }] }) },
  { method: 'GET', path: '/instruments/:instrumentId', variant: 'the built-in instrument', allowed: [...ANY_LEADER, 'otherAdmin'], ok: 200,
    params: (c) => ({ instrumentId: c.s.builtInId }), openBecause: BUILT_IN_SHARED,
    verify: (res) => expect(res.body).toMatchObject({ builtIn: true, key: AUTONOMY_ALIGNMENT_PULSE.key }) },
  { method: 'PUT', path: '/instruments/:instrumentId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ instrumentId: c.s.instrumentId }),
    body: (c) => instrumentDef(c.s.instrumentKey, `Renamed ${c.unique()}`) },
  // Every organisation's HR and admins reach the built-in one, and none of them may change it.
  { method: 'PUT', path: '/instruments/:instrumentId', variant: 'the built-in instrument', allowed: ['hr', 'admin', 'otherAdmin'], ok: 400,
    params: (c) => ({ instrumentId: c.s.builtInId }), body: () => AUTONOMY_ALIGNMENT_PULSE, openBecause: BUILT_IN_SHARED,
    verify: (res) => expect(res.body.errors).toEqual([expect.objectContaining({ field: 'instrumentId' })]) },

  // --- campaigns and rounds: a leader only for campaigns whose every team is theirs
  { method: 'GET', path: '/organisations/:orgId/campaigns', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/organisations/:orgId/campaigns', allowed: PLATFORM_LEADER, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }), body: (c) => campaignBody(`Pulse ${c.unique()}`, [c.org.teamId]),
    verify: (res) => expect(res.body).toMatchObject({ active: true, teamIds: [expect.any(String)] }) },
  { method: 'GET', path: '/campaigns/:campaignId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.platformCampaignId }) },
  { method: 'GET', path: '/campaigns/:campaignId', variant: 'sub-team Platform Data', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.subTeamCampaignId }) },
  { method: 'GET', path: '/campaigns/:campaignId', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ campaignId: c.s.mixedCampaignId }) },
  { method: 'PATCH', path: '/campaigns/:campaignId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.platformCampaignId }), body: () => ({ name: 'Platform pulse' }) },
  { method: 'PATCH', path: '/campaigns/:campaignId', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ campaignId: c.s.mixedCampaignId }), body: () => ({ name: 'Platform and Sales pulse' }) },
  // --- questionnaire pages: HR and admins; the built-in one is every organisation's to read
  { method: 'GET', path: '/app/organisations/:orgId/instruments', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/app/organisations/:orgId/instruments/new', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/app/organisations/:orgId/instruments', allowed: HR_ADMIN, ok: 200, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }),
    body: (c) => ({ definition: JSON.stringify(instrumentDef(`page-${c.unique()}`)), intent: 'preview' }) },
  { method: 'GET', path: '/app/instruments/:instrumentId', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ instrumentId: c.s.instrumentId }) },
  { method: 'GET', path: '/app/instruments/:instrumentId', variant: 'the built-in instrument', allowed: ['hr', 'admin', 'otherAdmin'], ok: 200,
    params: (c) => ({ instrumentId: c.s.builtInId }), openBecause: BUILT_IN_SHARED },
  { method: 'GET', path: '/app/instruments/:instrumentId/edit', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ instrumentId: c.s.instrumentId }) },
  { method: 'POST', path: '/app/instruments/:instrumentId', allowed: HR_ADMIN, ok: 200, send: 'form',
    params: (c) => ({ instrumentId: c.s.instrumentId }),
    body: (c) => ({ definition: JSON.stringify(instrumentDef(c.s.instrumentKey)), intent: 'preview' }) },
  // --- campaign pages: the same rules; a leader picks only among the teams they lead
  { method: 'GET', path: '/app/organisations/:orgId/campaigns', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'GET', path: '/app/organisations/:orgId/campaigns/new', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }) },
  { method: 'POST', path: '/app/organisations/:orgId/campaigns', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: (c) => ({ orgId: c.org.orgId }),
    body: (c) => campaignForm(`Pulse ${c.unique()}`, c.org.teamId) },
  { method: 'GET', path: '/app/campaigns/:campaignId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.subTeamCampaignId }) },
  { method: 'GET', path: '/app/campaigns/:campaignId', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ campaignId: c.s.mixedCampaignId }) },
  { method: 'POST', path: '/app/campaigns/:campaignId', allowed: PLATFORM_LEADER, ok: 303, send: 'form',
    params: (c) => ({ campaignId: c.s.subTeamCampaignId }),
    body: (c) => campaignForm('Platform Data pulse', c.org.subTeamId) },
  { method: 'POST', path: '/app/campaigns/:campaignId/pause', allowed: PLATFORM_LEADER, ok: 303,
    params: (c) => ({ campaignId: c.s.subTeamCampaignId }) },
  { method: 'POST', path: '/app/campaigns/:campaignId/resume', allowed: PLATFORM_LEADER, ok: 303,
    params: (c) => ({ campaignId: c.s.subTeamCampaignId }) },
  { method: 'GET', path: '/campaigns/:campaignId/rounds', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ campaignId: c.s.platformCampaignId }),
    verify: (res) => expect(res.body).toEqual([expect.objectContaining({ status: 'open' })]) },
  { method: 'GET', path: '/campaigns/:campaignId/rounds', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ campaignId: c.s.mixedCampaignId }) },
  { method: 'GET', path: '/rounds/:roundId', allowed: PLATFORM_LEADER, ok: 200,
    params: (c) => ({ roundId: c.s.platformRoundId }),
    verify: (res) => expect(res.body).toMatchObject({ status: 'open', teams: [{ name: 'Platform' }] }) },
  { method: 'GET', path: '/rounds/:roundId', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 200,
    params: (c) => ({ roundId: c.s.mixedRoundId }),
    verify: (res) => expect(res.body.teams).toHaveLength(2) },
  { method: 'GET', path: '/organisations/:orgId/open-rounds', allowed: ANY_LEADER, ok: 200,
    params: (c) => ({ orgId: c.org.orgId }),
    verify: (res, caller) => {
      const rounds = res.body as { campaignName: string; manageable: boolean; teamNames: string[] }[];
      const names = rounds.map((r) => r.campaignName);
      // A leader sees the open rounds that include one of their teams, counted over those teams,
      // and manages only those whose every team they lead; HR and admins see and manage all.
      const mixed = rounds.find((r) => r.campaignName === 'Closable mixed');
      if (caller === 'hr' || caller === 'admin') expect(mixed).toMatchObject({ manageable: true, teamNames: [] });
      else expect(mixed).toMatchObject({ manageable: false, teamNames: [caller === 'leader' ? 'Platform' : 'Sales'] });
      if (caller === 'otherLeader') expect(names).not.toContain('Closable');
      else expect(names).toContain('Closable');
    } },
  // No worker runs here: a closed-now round stays "closing", so every allowed caller gets a 202.
  { method: 'POST', path: '/rounds/:roundId/close', allowed: PLATFORM_LEADER, ok: 202,
    params: (c) => ({ roundId: c.s.closablePlatformRoundId }),
    verify: (res) => expect(res.body).toMatchObject({ roundId: expect.any(String), requested: expect.any(Boolean) }) },
  { method: 'POST', path: '/rounds/:roundId/close', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 202,
    params: (c) => ({ roundId: c.s.closableMixedRoundId }) },
  { method: 'POST', path: '/rounds/:roundId/reminders', allowed: PLATFORM_LEADER, ok: 202,
    params: (c) => ({ roundId: c.s.platformRoundId }),
    verify: (res) => expect(res.body).toMatchObject({ reminderId: expect.any(String), repeated: expect.any(Boolean) }) },
  { method: 'POST', path: '/rounds/:roundId/reminders', variant: 'over Platform and Sales', allowed: HR_ADMIN, ok: 202,
    params: (c) => ({ roundId: c.s.mixedRoundId }) },
  { method: 'POST', path: '/organisations/:orgId/history-imports', allowed: HR_ADMIN, ok: 201,
    params: (c) => ({ orgId: c.org.orgId }), query: { periodStart: '2025-01-06', periodEnd: '2025-01-19' },
    send: 'csv', body: () => HISTORY_CSV,
    verify: (res) => expect(res.body).toMatchObject({ respondents: 2, teams: [{ teamKey: 'platform', respondents: 2 }] }) },

  // --- answering: public, the personal link is the credential (a fresh one for each answer)
  { method: 'GET', path: '/pulse/:token', allowed: EVERYONE, ok: 200, openBecause: TOKEN_IS_CREDENTIAL,
    params: (c) => ({ token: c.s.readToken }),
    verify: (res) => expect(res.body).toMatchObject({ audience: 'member', teamName: 'Platform' }) },
  { method: 'POST', path: '/pulse/:token', allowed: EVERYONE, ok: 201, openBecause: TOKEN_IS_CREDENTIAL,
    params: (c) => ({ token: c.s.freshToken() }), body: (c) => ({ answers: c.s.answers }),
    verify: (res) => expect(res.body).toEqual({ status: 'received', teamName: 'Platform' }) },
  { method: 'GET', path: '/r/:token', allowed: EVERYONE, ok: 200, openBecause: TOKEN_IS_CREDENTIAL,
    params: (c) => ({ token: c.s.readToken }),
    verify: (res) => expect(res.text).toContain('How is Platform doing?') },
  { method: 'POST', path: '/r/:token', allowed: EVERYONE, ok: 200, openBecause: TOKEN_IS_CREDENTIAL,
    params: (c) => ({ token: c.s.freshToken() }), send: 'form', body: (c) => formOf(c.s.answers),
    verify: (res) => expect(res.text).toContain('Thank you') },
  // --- a comment's conversation: the author's private link is the credential
  { method: 'GET', path: '/c/:token', allowed: EVERYONE, ok: 200, openBecause: CONVERSATION_LINK,
    params: (c) => ({ token: c.s.conversationToken }),
    verify: (res) => expect(res.text).toContain('The round is still open') },
  // A comment that is not the author's is named before anything is written.
  { method: 'POST', path: '/c/:token', allowed: EVERYONE, ok: 400, openBecause: CONVERSATION_LINK,
    params: (c) => ({ token: c.s.conversationToken }), send: 'form',
    body: () => ({ comment: 'AAAAAAAAAAAAAAAAAAAAAA', text: 'thanks' }) },
  { method: 'POST', path: '/c/:token/email', allowed: EVERYONE, ok: 400, openBecause: CONVERSATION_LINK,
    params: () => ({ token: UNKNOWN_CONVERSATION }), send: 'form',
    body: () => ({ email: 'not an address', proof: 'x' }) },
];

/** The only resource endpoints that let in callers from outside the resource's organisation. */
const OPEN_BY_DESIGN = [
  'GET /assets/:name',
  'GET /set-password/:token',
  'POST /set-password/:token',
  'GET /instruments/:instrumentId (the built-in instrument)',
  'PUT /instruments/:instrumentId (the built-in instrument)',
  'GET /app/instruments/:instrumentId (the built-in instrument)',
  'GET /pulse/:token',
  'POST /pulse/:token',
  'GET /r/:token',
  'POST /r/:token',
  'GET /c/:token',
  'POST /c/:token',
  'POST /c/:token/email',
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

  let mailbox: Awaited<ReturnType<typeof startMailbox>> | undefined;
  /** The other organisation's survey resources. */
  let theirs: { campaignId: string; roundId: string; instrumentId: string };

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
      REQUEST_LIMIT_PER_MINUTE: '100000',
      SMTP_URL: mailbox.url,
    });
    const org = await createOrg(t.app, 'main');
    const other = await createOrg(t.app, 'other');
    const people = t.app.get(PeopleService);
    const auth = t.app.get(AuthService);
    const apiTokens = t.app.get(ApiTokensService);
    const instruments = t.app.get(InstrumentsService);
    const campaigns = t.app.get(CampaignsService);

    let seq = 0;
    const unique = () => `${++seq}-${randomUUID().slice(0, 8)}`;
    const freshPerson = async () => {
      const n = unique();
      return (await people.create(org.orgId, { email: `fresh-${n}@main.test`, name: `Fresh ${n}` }))
        .id;
    };
    const visitor = await people.create(org.orgId, { email: 'visitor@main.test', name: 'Visitor' });
    await auth.setPassword(visitor.id, PASSWORD);
    const hrPrincipal = principalOf(org, 'hr');
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
      freshPlatformLeader: async () => {
        const id = await freshPerson();
        await people.addMembership(org.teamId, id, 'leader');
        return id;
      },
      freshApiToken: async () => (await apiTokens.create(hrPrincipal, `to revoke ${unique()}`)).id,
      freshCommitment: async () =>
        (
          await t.app.get(CommitmentsService).create(org.teamId, hrPrincipal, {
            action: `try ${unique()}`,
            owner: 'the team',
            dueOn: '2030-01-31',
            dimension: 'leader_support',
          })
        ).id,
      exportId: (await t.app.get(ExportJobsService).create(org.orgId, org.hr.id, 'csv', {})).id,
      s: await surveys(org),
    };
    const otherRound = await openRoundNow(t.app, other);
    theirs = {
      ...otherRound,
      instrumentId: (await instruments.create(other.orgId, instrumentDef('theirs'))).id,
    };

    /** Survey resources; Platform gets a crowd of members so there are personal links to spend. */
    async function surveys(org: OrgFixture): Promise<Surveys> {
      const crowd: string[] = [];
      for (let i = 0; i < 16; i++) {
        const email = `crowd-${i}@main.test`;
        const person = await people.create(org.orgId, { email, name: `Crowd ${i}` });
        await people.addMembership(org.teamId, person.id, 'member');
        crowd.push(email);
      }
      const instrument = await instruments.create(org.orgId, instrumentDef('ours'));
      const platform = await openRoundNow(t.app, org, { teamIds: [org.teamId] });
      // Each crowd member has exactly one link so far: the Platform round's.
      const tokens = crowd.map((email) => {
        const links = mailbox!.linksFor(email);
        if (links.length !== 1) throw new Error(`${email} has ${links.length} links, not 1`);
        return tokenOf(links[0]);
      });
      const mixed = await openRoundNow(t.app, org);
      const closablePlatform = await openRoundNow(t.app, org, {
        teamIds: [org.teamId],
        name: 'Closable',
      });
      const closableMixed = await openRoundNow(t.app, org, { name: 'Closable mixed' });
      const subTeam = await campaigns.create(org.orgId, org.hr.id, {
        ...campaignBody('Platform Data pulse', [org.subTeamId]),
        leaderSelfView: true,
      });
      const readToken = tokens.pop()!;
      const form = await t.http.get(`/pulse/${readToken}`);
      if (form.status !== 200) throw new Error(`the pulse form answered ${form.status}`);
      const { items, scale } = form.body as { items: { key: string }[]; scale: { min: number } };
      return {
        builtInId: await instruments.builtInId(),
        instrumentId: instrument.id,
        instrumentKey: instrument.key,
        platformCampaignId: platform.campaignId,
        platformRoundId: platform.roundId,
        subTeamCampaignId: subTeam.id,
        mixedCampaignId: mixed.campaignId,
        mixedRoundId: mixed.roundId,
        closablePlatformRoundId: closablePlatform.roundId,
        closableMixedRoundId: closableMixed.roundId,
        readToken,
        freshToken: () => {
          const token = tokens.pop();
          if (!token) throw new Error('out of unanswered personal links: add to the crowd');
          return token;
        },
        answers: Object.fromEntries(items.map((item) => [item.key, scale.min])),
        conversationToken: await storedConversation(platform.roundId),
      };
    }

    /** One author's comment row with its conversation link's keyed hash, as the mix writes it. */
    async function storedConversation(roundId: string): Promise<string> {
      const sealer = t.app.get(AnswerSealer);
      const token = `trl_c_${randomBytes(32).toString('base64url')}`;
      await t.db.query(
        `insert into comment (id, organisation_id, round_id, unit_id, submitted_on, sealed, conversation)
         values ($1, $2, $3, $4, current_date, $5, $6)`,
        [
          randomUUID(),
          org.orgId,
          roundId,
          org.teamId,
          sealer.sealAuthorComments(roundId, org.teamId, [{ dimension: null, text: 'matrix' }]),
          sealer.conversationHash(token),
        ],
      );
      return token;
    }

    who.set('member', org.member);
    who.set('otherLeader', org.otherLeader);
    who.set('leader', org.leader);
    who.set('hr', org.hr);
    who.set('admin', org.admin);
    who.set('otherAdmin', other.admin);
    for (const [caller, person] of who) tokens.set(caller, await signIn(t.http, person.email));
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

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
      let body = await e.body(ctx);
      if (e.preSession) {
        const form = await t.http.get('/sign-in');
        req = req.set('cookie', String(form.headers['set-cookie']).split(';')[0]);
        body = { ...(body as object), _csrf: /name="_csrf" value="([^"]+)"/.exec(form.text)![1] };
      }
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
          // The console's catch-all answers every method with a 404 page (pages-authorization
          // tests it); it is the one handler for all methods, and it opens nothing.
          if (method === 'ALL') {
            expect(`${wrapper.metatype.name}.${name}`).toBe('ConsoleNotFoundController.notFound');
            continue;
          }
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
    // Only the few rows open by design, each saying why.
    expect(open.map(title)).toEqual(OPEN_BY_DESIGN);
    expect(ENDPOINTS.filter((e) => e.openBecause).map(title)).toEqual(OPEN_BY_DESIGN);
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

  describe('campaigns over teams the leader does not all lead', () => {
    const as = (caller: Caller) => ({ authorization: `Bearer ${tokens.get(caller)}` });
    const campaignIds = async (caller: Caller) => {
      const res = await t.http.get(`/organisations/${ctx.org.orgId}/campaigns`).set(as(caller));
      expectStatus(res, 200);
      return (res.body as { id: string }[]).map((c) => c.id);
    };

    it('the leader lists the Platform campaigns but not the one that includes Sales', async () => {
      const ids = await campaignIds('leader');
      expect(ids).toEqual(
        expect.arrayContaining([ctx.s.platformCampaignId, ctx.s.subTeamCampaignId]),
      );
      expect(ids).not.toContain(ctx.s.mixedCampaignId);
      for (const caller of ['hr', 'admin'] as const)
        expect(await campaignIds(caller)).toEqual(
          expect.arrayContaining([
            ctx.s.platformCampaignId,
            ctx.s.subTeamCampaignId,
            ctx.s.mixedCampaignId,
          ]),
        );
      // Sales' leader leads no campaign entirely, not even the one that includes Sales.
      expect(await campaignIds('otherLeader')).toEqual([]);
    });

    it('a leader cannot start a campaign that includes a team they do not lead, and nothing is written', async () => {
      const count = async () =>
        (await t.db.query('select count(*)::int as n from campaign')).rows[0] as { n: number };
      const before = await count();
      for (const teamIds of [[ctx.org.teamId, ctx.org.otherTeamId], [ctx.org.otherTeamId]]) {
        const res = await t.http
          .post(`/organisations/${ctx.org.orgId}/campaigns`)
          .set(as('leader'))
          .send(campaignBody('Not mine', teamIds));
        expectStatus(res, 403);
      }
      expect(await count()).toEqual(before);
    });
  });

  describe('nothing crosses organisations', () => {
    const as = (caller: Caller) => ({ authorization: `Bearer ${tokens.get(caller)}` });

    it("the first organisation cannot read the other one's surveys", async () => {
      const o = ctx.other;
      const reads = [
        `/organisations/${o.orgId}/instruments`,
        `/organisations/${o.orgId}/campaigns`,
        `/instruments/${theirs.instrumentId}`,
        `/campaigns/${theirs.campaignId}`,
        `/campaigns/${theirs.campaignId}/rounds`,
        `/rounds/${theirs.roundId}`,
        `/organisations/${o.orgId}/open-rounds`,
      ];
      for (const caller of ['admin', 'hr', 'leader'] as const) {
        for (const path of reads) {
          const res = await t.http.get(path).set(as(caller));
          expect(`${caller} GET ${path}: ${res.status}`).toBe(`${caller} GET ${path}: 404`);
        }
      }
    });

    it("the first organisation cannot close or remind the other one's round, and nothing is written", async () => {
      for (const caller of ['admin', 'hr'] as const) {
        for (const action of ['close', 'reminders']) {
          const res = await t.http.post(`/rounds/${theirs.roundId}/${action}`).set(as(caller));
          expect(`${caller} ${action}: ${res.status}`).toBe(`${caller} ${action}: 404`);
        }
      }
      const { rows } = await t.db.query(
        `select r.close_requested_at as "closeRequestedAt",
                (select count(*)::int from round_reminder where round_id = r.id) as reminders
           from round r where r.id = $1`,
        [theirs.roundId],
      );
      expect(rows).toEqual([{ closeRequestedAt: null, reminders: 0 }]);
    });

    it('the built-in instrument is shared: both organisations see it, neither sees the other’s own', async () => {
      const builtIn = ctx.s.builtInId;
      const mine = await t.http.get(`/instruments/${builtIn}`).set(as('admin'));
      const yours = await t.http.get(`/instruments/${builtIn}`).set(as('otherAdmin'));
      expectStatus(mine, 200);
      expectStatus(yours, 200);
      expect(yours.body).toEqual(mine.body);
      const list = async (caller: Caller, orgId: string) => {
        const res = await t.http.get(`/organisations/${orgId}/instruments`).set(as(caller));
        expectStatus(res, 200);
        return (res.body as { id: string }[]).map((i) => i.id);
      };
      const ours = await list('admin', ctx.org.orgId);
      const others = await list('otherAdmin', ctx.other.orgId);
      expect(ours).toEqual(expect.arrayContaining([builtIn, ctx.s.instrumentId]));
      expect(ours).not.toContain(theirs.instrumentId);
      expect(others).toEqual(expect.arrayContaining([builtIn, theirs.instrumentId]));
      expect(others).not.toContain(ctx.s.instrumentId);
    });

    it("the first organisation's admin cannot change the other one's surveys, and nothing changes", async () => {
      const o = ctx.other;
      const snapshot = async () =>
        (
          await t.db.query(
            `select (select json_agg(json_build_object('id', id, 'name', name, 'active', active, 'reminders', reminder_days) order by id)
                       from campaign where organisation_id = $1) as campaigns,
                    (select json_agg(json_build_object('id', i.id, 'name', i.name, 'versions',
                       (select json_agg(v.definition order by v.version) from instrument_version v where v.instrument_id = i.id)) order by i.id)
                       from instrument i where i.organisation_id = $1) as instruments,
                    (select count(*)::int from round where organisation_id = $1) as rounds,
                    (select count(*)::int from response_pool where organisation_id = $1) +
                      (select count(*)::int from response where organisation_id = $1) as responses`,
            [o.orgId],
          )
        ).rows[0] as Record<string, unknown>;
      const before = await snapshot();
      expect(before.campaigns).toHaveLength(1);
      expect(before.instruments).toHaveLength(1);
      expect(before.rounds).toBe(1);

      const attempts = [
        t.http.patch(`/campaigns/${theirs.campaignId}`).send({ name: 'Taken over', active: false }),
        t.http
          .put(`/instruments/${theirs.instrumentId}`)
          .send(instrumentDef('theirs', 'Taken over')),
        t.http
          .post(`/organisations/${o.orgId}/campaigns`)
          .send(campaignBody('Taken over', [o.teamId])),
        t.http.post(`/organisations/${o.orgId}/instruments`).send(instrumentDef('taken-over')),
        t.http
          .post(`/organisations/${o.orgId}/history-imports`)
          .query({ periodStart: '2025-01-06', periodEnd: '2025-01-19' })
          .set('content-type', 'text/csv')
          .send(HISTORY_CSV),
      ];
      for (const attempt of attempts) expectStatus(await attempt.set(as('admin')), 404);
      expect(await snapshot()).toEqual(before);
    });

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
      const otherToken = await apiTokens.create(principalOf(o, 'admin'), 'other org token');
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
        [`/instruments/${theirs.instrumentId}`, `/instruments/${missing}`],
        [`/campaigns/${theirs.campaignId}`, `/campaigns/${missing}`],
        [`/campaigns/${theirs.campaignId}/rounds`, `/campaigns/${missing}/rounds`],
        [`/rounds/${theirs.roundId}`, `/rounds/${missing}`],
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
