import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { startWebhookReceiver } from './support/webhook-receiver';

jest.setTimeout(60_000);

interface AuditRow {
  action: string;
  actor_person_id: string | null;
  actor_email: string | null;
  at: Date;
  detail: { groups?: string[]; before?: Record<string, unknown>; after?: Record<string, unknown> };
}

/** The page's CSRF token, read from a form of the page as a browser would. */
function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no form with a CSRF token');
  return match[1];
}

/**
 * The organisation's settings, through the JSON API and the settings page alike: both are
 * adapters over SettingsService, so floors, refusals, audit entries and resets behave the same.
 */
describe('organisation settings in the console (private webhooks allowed)', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let admin: string;
  let hr: string;
  let leader: string;
  let otherAdmin: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver((path) => (path === '/broken' ? 500 : 200));
    t = await createTestApp({
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_TIMEOUT_MS: '1500',
      REQUEST_LIMIT_PER_MINUTE: '100000',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
    });
    org = await createOrg(t.app, 'console-settings');
    other = await createOrg(t.app, 'console-settings-other');
    admin = await signIn(t.http, org.admin.email);
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
    otherAdmin = await signIn(t.http, other.admin.email);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const stored = async () =>
    (
      await t.db.query<{ settings: unknown; epoch: string }>(
        'select settings, results_epoch::text as epoch from organisation where id = $1',
        [org.orgId],
      )
    ).rows[0];
  const audit = async (action?: string) =>
    (
      await t.db.query<AuditRow>(
        `select action, actor_person_id, actor_email, at, detail from audit_event
          where organisation_id = $1 and action like 'settings.%' and ($2::text is null or action = $2)
          order by id`,
        [org.orgId, action ?? null],
      )
    ).rows;
  const put = (body: unknown, token = admin) =>
    t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set(bearer(token))
      .send(body as object);
  const page = (token: string, orgId = org.orgId) =>
    t.http.get(`/app/organisations/${orgId}/settings`).set('cookie', `trellis_session=${token}`);
  async function postForm(token: string, path: string, form: Record<string, string>) {
    const csrf = csrfOf((await page(token)).text);
    return t.http
      .post(`/app/organisations/${org.orgId}/settings/${path}`)
      .set('cookie', `trellis_session=${token}`)
      .type('form')
      .send({ _csrf: csrf, ...form });
  }

  it('starts from the domain model’s defaults, marked as such, with the floors', async () => {
    const res = await t.http.get(`/organisations/${org.orgId}/settings`).set(bearer(hr));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      anonymity: { minGroupSize: 5, minCommentGroup: 10 },
      defaults: { anonymity: { minGroupSize: 5, minCommentGroup: 10 } },
      changed: [],
      floors: { minGroupSize: 3, minCommentGroup: 5 },
      notifications: { notifyHr: false, webhookUrl: null },
      hrRecipients: [org.hr.email],
      editable: false,
    });
    expect(res.body.flags.quadrant).toEqual({ midpoint: 3.5 });
    expect(res.body.defaults.flags).toEqual(res.body.flags);
  });

  it.each([
    [{ anonymity: { minGroupSize: 2 } }, 'anonymity.minGroupSize', 'must be at least 3'],
    [{ anonymity: { minGroupSize: 0 } }, 'anonymity.minGroupSize', 'must be at least 3'],
    [{ anonymity: { minGroupSize: '7' } }, 'anonymity.minGroupSize', 'must be a whole number'],
    [{ anonymity: { minGroupSize: 6.5 } }, 'anonymity.minGroupSize', 'must be a whole number'],
    [
      { anonymity: { minGroupSize: 8, minCommentGroup: 7 } },
      'anonymity.minCommentGroup',
      'must be at least minGroupSize (8)',
    ],
    [{ anonymity: 'high' }, 'anonymity', 'must be an object'],
    [
      { flags: { quadrant: { midpoint: 9 } } },
      'flags.quadrant.midpoint',
      'must be a number from 1 to 5',
    ],
    [
      { flags: { quadrant: { middle: 3 } } },
      'flags.quadrant.middle',
      'is not a setting (known: midpoint)',
    ],
    [
      { notifications: { webhookUrl: 'ftp://x.test/' } },
      'notifications.webhookUrl',
      'must be an http:// or https:// address of at most 2000 characters',
    ],
    [{ colour: 'blue' }, 'colour', 'is not a setting (known: anonymity, flags, notifications)'],
  ])('refuses %j with 400 naming %s, and writes nothing', async (body, field, message) => {
    const before = await stored();
    const entries = (await audit()).length;
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body.errors).toContainEqual({ field, message });
    expect(await stored()).toEqual(before);
    expect(await audit()).toHaveLength(entries);
  });

  it('refuses a valid group together with an invalid one: all or nothing', async () => {
    const before = await stored();
    const res = await put({
      anonymity: { minGroupSize: 9 },
      flags: { lowSafety: { safetyAtMost: 7 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'flags.lowSafety.safetyAtMost',
    ]);
    expect(await stored()).toEqual(before);
  });

  it('changes only the groups sent, records who, when, before and after, and moves the results epoch', async () => {
    const hook = receiver.url('/hook');
    expect((await put({ notifications: { notifyHr: true, webhookUrl: hook } })).status).toBe(200);
    const epochBefore = (await stored()).epoch;
    const started = Date.now();
    const res = await put({ anonymity: { minGroupSize: 7 } });
    expect(res.status).toBe(200);
    // The comment minimum's default rises to k where k is above it; here it stays 10.
    expect(res.body.anonymity).toEqual({ minGroupSize: 7, minCommentGroup: 10 });
    expect(res.body.changed).toEqual([
      'anonymity.minGroupSize',
      'notifications.notifyHr',
      'notifications.webhookUrl',
    ]);
    // Changing anonymity left the notifications as they were.
    expect(res.body.notifications).toEqual({ notifyHr: true, webhookUrl: hook });
    expect(Number((await stored()).epoch)).toBe(Number(epochBefore) + 1);

    const [entry] = (await audit('settings.change')).slice(-1);
    expect(entry.actor_person_id).toBe(org.admin.id);
    expect(entry.actor_email).toBe(org.admin.email);
    expect(entry.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(entry.detail).toEqual({
      groups: ['anonymity'],
      before: { anonymity: { minGroupSize: 5, minCommentGroup: 10 } },
      after: { anonymity: { minGroupSize: 7, minCommentGroup: 10 } },
    });
    // The webhook's secret path never reaches the audit log.
    const notificationEntry = (await audit('settings.change')).find((e) =>
      e.detail.groups?.includes('notifications'),
    );
    expect(notificationEntry?.detail.after).toEqual({
      notifications: { notifyHr: true, webhookUrl: `${new URL(hook).origin}/…` },
    });
    // HR reads the settings but not the webhook's address.
    const asHr = await t.http.get(`/organisations/${org.orgId}/settings`).set(bearer(hr));
    expect(asHr.body.notifications.webhookUrl).toBe(`${new URL(hook).origin}/…`);
  });

  it('a save that changes nothing in force writes no entry and keeps the epoch', async () => {
    const before = await stored();
    const entries = (await audit()).length;
    expect((await put({ anonymity: { minGroupSize: 7 } })).status).toBe(200);
    expect(await stored()).toEqual(before);
    expect(await audit()).toHaveLength(entries);
  });

  it('resets one group to the defaults, audited, leaving the others', async () => {
    expect((await put({ flags: { quadrant: { midpoint: 3.8 } } })).status).toBe(200);
    const res = await t.http
      .delete(`/organisations/${org.orgId}/settings/flags`)
      .set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body.flags.quadrant.midpoint).toBe(3.5);
    expect(res.body.anonymity.minGroupSize).toBe(7);
    const [entry] = (await audit('settings.reset')).slice(-1);
    expect(entry.detail.before).toMatchObject({ flags: { quadrant: { midpoint: 3.8 } } });
    expect(entry.detail.after).toMatchObject({ flags: { quadrant: { midpoint: 3.5 } } });
    expect((await stored()).settings).not.toHaveProperty('flags');
    const unknown = await t.http
      .delete(`/organisations/${org.orgId}/settings/colours`)
      .set(bearer(admin));
    expect(unknown.status).toBe(404);
  });

  it('keeps the access rules: HR reads, only admins change, a leader is refused, another organisation is not found', async () => {
    expect((await put({ anonymity: { minGroupSize: 6 } }, hr)).status).toBe(403);
    expect(
      (await t.http.get(`/organisations/${org.orgId}/settings`).set(bearer(leader))).status,
    ).toBe(403);
    expect(
      (await t.http.get(`/organisations/${org.orgId}/settings`).set(bearer(otherAdmin))).status,
    ).toBe(404);
    expect(
      (await t.http.post(`/organisations/${org.orgId}/settings/webhook-test`).set(bearer(hr)))
        .status,
    ).toBe(403);

    expect((await page(hr)).status).toBe(200);
    expect((await page(hr)).text).toContain('Only administrators can change these settings.');
    expect((await page(hr)).text).not.toContain('Save anonymity minimums');
    const leaderPage = await page(leader);
    expect(leaderPage.status).toBe(403);
    expect(leaderPage.headers['content-type']).toContain('text/html');
    const otherPage = await page(otherAdmin);
    expect(otherPage.status).toBe(404);
    expect(otherPage.text).not.toContain('Organisation settings');
    const hrPost = await postForm(hr, 'anonymity', { 'anonymity.minGroupSize': '9' });
    expect(hrPost.status).toBe(403);
  });

  it('the page enforces the floors with the field named, keeps what was typed, and writes nothing', async () => {
    const before = await stored();
    const res = await postForm(admin, 'anonymity', {
      'anonymity.minGroupSize': '2',
      'anonymity.minCommentGroup': '12',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Minimum group size (k) must be at least 3');
    expect(res.text).toMatch(
      /id="anonymity.minGroupSize"[^>]*value="2"|value="2"[^>]*id="anonymity.minGroupSize"/,
    );
    expect(res.text).toContain('aria-invalid="true"');
    expect(await stored()).toEqual(before);

    const words = await postForm(admin, 'flags', { 'flags.quadrant.midpoint': 'middle' });
    expect(words.status).toBe(400);
    expect(words.text).toContain(
      'Quadrant midpoint: Midpoint (1–5 scale) must be a number from 1 to 5',
    );
    expect(await stored()).toEqual(before);
  });

  it('the page refuses a form without its CSRF token', async () => {
    const res = await t.http
      .post(`/app/organisations/${org.orgId}/settings/anonymity`)
      .set('cookie', `trellis_session=${admin}`)
      .type('form')
      .send({ 'anonymity.minGroupSize': '9' });
    expect(res.status).toBe(403);
    expect((await stored()).settings).toMatchObject({ anonymity: { minGroupSize: 7 } });
  });

  it('the page saves a group, says so, and resets it', async () => {
    const saved = await postForm(admin, 'anonymity', {
      'anonymity.minGroupSize': '8',
      'anonymity.minCommentGroup': '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(
      `/app/organisations/${org.orgId}/settings?saved=anonymity#anonymity`,
    );
    expect((await stored()).settings).toMatchObject({
      anonymity: { minGroupSize: 8, minCommentGroup: 10 },
    });
    const shown = await t.http
      .get(saved.headers.location.split('#')[0])
      .set('cookie', `trellis_session=${admin}`);
    expect(shown.text).toContain('Anonymity minimums saved.');
    expect(shown.text).toContain('being recomputed');

    const thresholds = await postForm(admin, 'flags', {
      'flags.quadrant.midpoint': '3,75',
      'flags.lowSafety.safetyAtMost': '',
    });
    expect(thresholds.status).toBe(303);
    // Only what differs from the model is stored; empty fields follow the defaults.
    expect((await stored()).settings).toMatchObject({ flags: { quadrant: { midpoint: 3.75 } } });

    const reset = await postForm(admin, 'anonymity/reset', {});
    expect(reset.status).toBe(303);
    expect((await stored()).settings).not.toHaveProperty('anonymity');
    expect((await stored()).settings).toHaveProperty('flags');
    expect((await audit('settings.reset')).slice(-1)[0].detail).toEqual({
      groups: ['anonymity'],
      before: { anonymity: { minGroupSize: 8, minCommentGroup: 10 } },
      after: { anonymity: { minGroupSize: 5, minCommentGroup: 10 } },
    });
  });

  it('sends a test message through the guarded sender and shows what the receiver answered', async () => {
    const hook = receiver.url('/hook');
    expect((await put({ notifications: { notifyHr: false, webhookUrl: hook } })).status).toBe(200);
    const received = receiver.received.length;
    const res = await t.http
      .post(`/organisations/${org.orgId}/settings/webhook-test`)
      .set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'answered',
      sentTo: new URL(hook).origin,
      status: 200,
      accepted: true,
      answer: 'ok',
    });
    const got = receiver.received.slice(received);
    expect(got).toHaveLength(1);
    expect(got[0].path).toBe('/hook');
    expect(got[0].headers['x-trellis-test']).toBe('true');
    expect((got[0].body as { text: string }).text).toContain('Test message from Trellis');
    expect((await audit('settings.webhook_test')).slice(-1)[0].detail).toEqual({
      sentTo: new URL(hook).origin,
      status: 200,
    });

    // Through the page, a receiver that fails: its status and answer are shown.
    expect((await put({ notifications: { webhookUrl: receiver.url('/broken') } })).status).toBe(
      200,
    );
    const shown: Response = await postForm(admin, 'webhook-test', {});
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('Not accepted.');
    expect(shown.text).toContain('HTTP 500');
    expect(shown.text).toMatch(/<pre[^>]*>no/);
    expect(receiver.received.at(-1)?.path).toBe('/broken');
  });

  it('says no answer came when the receiver is not there', async () => {
    const gone = await startWebhookReceiver(() => 200);
    const url = gone.url('/hook');
    await gone.close();
    expect((await put({ notifications: { webhookUrl: url } })).status).toBe(200);
    const res = await t.http
      .post(`/organisations/${org.orgId}/settings/webhook-test`)
      .set(bearer(admin));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'failed',
      error: 'the receiver refused the connection',
    });
  });

  it('gives up on a receiver that never answers, after the webhook timeout', async () => {
    // Accepts the connection and the request, and says nothing.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      expect(
        (await put({ notifications: { webhookUrl: `http://127.0.0.1:${port}/hook` } })).status,
      ).toBe(200);
      const res = await t.http
        .post(`/organisations/${org.orgId}/settings/webhook-test`)
        .set(bearer(admin));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ outcome: 'failed', error: 'no answer within 1.5 seconds' });
      expect(res.body.milliseconds).toBeGreaterThanOrEqual(1400);
      expect(res.body.milliseconds).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('refuses a test message when no webhook is saved, naming the field', async () => {
    expect(
      (await t.http.delete(`/organisations/${org.orgId}/settings/notifications`).set(bearer(admin)))
        .status,
    ).toBe(200);
    const res = await t.http
      .post(`/organisations/${org.orgId}/settings/webhook-test`)
      .set(bearer(admin));
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: 'notifications.webhookUrl', message: 'is not set: save a webhook address first' },
    ]);
  });
});

describe('the webhook test message when private addresses are not allowed', () => {
  let t: TestApp;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver(() => 200);
    t = await createTestApp({ WEBHOOK_ALLOW_PRIVATE: 'false' });
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('refuses to save a private address and refuses to send to one saved before', async () => {
    const org = await createOrg(t.app, 'console-ssrf');
    const admin = await signIn(t.http, org.admin.email);
    const url = `http://localhost:${new URL(receiver.url('/')).port}/hook`;
    const saved = await t.http
      .put(`/organisations/${org.orgId}/settings`)
      .set('authorization', `Bearer ${admin}`)
      .send({ notifications: { webhookUrl: url } });
    expect(saved.status).toBe(400);
    expect(saved.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'notifications.webhookUrl',
    ]);
    // Saved while the installation allowed it (written directly): the sender still refuses.
    await t.db.query(
      `update organisation set settings = jsonb_set(settings, '{notifications}', $2::jsonb) where id = $1`,
      [org.orgId, JSON.stringify({ notifyHr: false, webhookUrl: url })],
    );
    const res = await t.http
      .post(`/organisations/${org.orgId}/settings/webhook-test`)
      .set('authorization', `Bearer ${admin}`);
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('failed');
    expect(res.body.error).toMatch(/not public \(WEBHOOK_ALLOW_PRIVATE is off\)/);
    expect(receiver.received).toEqual([]);
  });
});
