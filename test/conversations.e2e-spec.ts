import type { INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { AuthService } from '@trellis/identity';
import { NotificationsService } from '@trellis/notifications';
import { PeopleService, UnitsService } from '@trellis/organisation';
import { RoundsService } from '@trellis/surveys';
import { accessibilityViolations, ARTIFACTS, launchBrowser } from './support/browser';
import { createOrg, PASSWORD, signIn, type OrgFixture } from './support/fixtures';
import { answersFor, mintLinks, type Link } from './support/links';
import { startMailbox } from './support/mailbox';
import { freePort, launch } from './support/processes';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

/**
 * Issue 16, second half: a leader replies to a comment, its author reads the reply through the
 * private link shown once on their thank-you page and answers back; HR hides a comment. Real
 * pages in Chromium, the real worker and SMTP. k = 3, comment minimum 3; team Alpha: 4 people
 * who all comment, so Alpha's comments are read at Alpha by its leader.
 */
const MIN = 3;
const TOKEN = /\/c\/(trl_c_[A-Za-z0-9_-]{43})/;

describe('conversations on comments, and moderation', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let browser: Browser;
  let base: string;
  let roundId: string;
  let alpha: string;
  let leaderSession: string;
  let hrSession: string;
  let leaderPersonId: string;
  let links: Link[];
  /** The author's conversation link token, as read off their thank-you page. */
  let token: string;
  let commentId: string;
  const AUTHOR_TEXT = 'The release process wears us out. Author comment here.';
  const LEADER_REPLY = 'Thank you. What would you change first?';
  const AUTHOR_ANSWER = 'Fewer manual sign-offs before each release.';

  const as = (session: string) => ({ authorization: `Bearer ${session}` });

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      PUBLIC_URL: 'https://trellis.example.test',
      SIGN_IN_LIMIT: '1000',
      SIGN_IN_ADDRESS_LIMIT: '1000',
    });
    worker = await startWorker();
    org = await createOrg(t.app, 'conversations');
    await t.db.query(
      `update organisation set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{anonymity}', $2::jsonb) where id = $1`,
      [org.orgId, JSON.stringify({ minGroupSize: MIN, minCommentGroup: MIN })],
    );
    const people = t.app.get(PeopleService);
    alpha = (
      await t.app
        .get(UnitsService)
        .create(org.orgId, { name: 'Team Alpha', key: 'alpha', kind: 'team', parentId: org.deptId })
    ).id;
    for (let i = 0; i < 4; i++) {
      const p = await people.create(org.orgId, {
        email: `member${i}@alpha.test`,
        name: `Member Number${i}`,
      });
      await people.addMembership(alpha, p.id, 'member');
    }
    const lead = await people.create(org.orgId, { email: 'lead@alpha.test', name: 'Lea Lead' });
    leaderPersonId = lead.id;
    await t.app.get(AuthService).setPassword(lead.id, PASSWORD);
    await people.addMembership(alpha, lead.id, 'leader');
    leaderSession = await signIn(t.http, 'lead@alpha.test');
    hrSession = await signIn(t.http, org.hr.email);
    ({ roundId } = await openRoundNow(t.app, org, { teamIds: [alpha], leaderSelfView: false }));
    links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
    expect(links).toHaveLength(4);
    await t.app.listen(0, '127.0.0.1');
    base = (await t.app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  it('shows the author their private link once, on the thank-you page, after a comment', async () => {
    const form = await t.http.get(`/pulse/${links[0].token}`);
    const page = await (
      await browser.newContext({ viewport: { width: 375, height: 740 } })
    ).newPage();
    await page.goto(`${base}/r/${links[0].token}`);
    for (const item of form.body.items as { key: string }[]) {
      await page.locator(`input[name="answers[${item.key}]"][value="4"]`).check({ force: true });
    }
    await page.locator('textarea[name="comment"]').fill(AUTHOR_TEXT);
    await page.getByRole('button', { name: 'Send answers' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    const shown = await page.locator('.conversation-link').innerText();
    expect(shown).toContain('It is shown only now');
    const href = await page.locator('.conversation-link a').getAttribute('href');
    token = TOKEN.exec(href ?? '')![1];
    expect(token).toMatch(/^trl_c_[A-Za-z0-9_-]{43}$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'conversation-thanks-375.png'), fullPage: true });

    // Emailed to an address typed here, sent in the request, kept nowhere.
    const proof = await page.locator('input[name="proof"]').getAttribute('value');
    await page.getByLabel('Or email it to yourself').fill('me@private.test');
    await page.getByRole('button', { name: 'Email me the link' }).click();
    await page.getByRole('heading', { name: 'Link sent' }).waitFor();
    await page.context().close();
    const mailed = mailbox.mails.filter((m) => m.to === 'me@private.test');
    expect(mailed).toHaveLength(1);
    expect(mailed[0].text).toContain(`https://trellis.example.test/c/${token}`);
    const { rows: holding } = await t.db.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    for (const { table_name } of holding) {
      const { rows } = await t.db.query(
        `select 1 from "${table_name}" x where row_to_json(x)::text like '%private.test%' limit 1`,
      );
      expect({ table_name, rows }).toEqual({ table_name, rows: [] });
    }
    const keys = await t.redis.keys(`${t.prefix}:*`);
    for (const key of keys) {
      const type = await t.redis.type(key);
      const value =
        type === 'hash'
          ? JSON.stringify(await t.redis.hgetall(key))
          : type === 'string'
            ? await t.redis.get(key)
            : '';
      expect(value ?? '').not.toContain('private.test');
    }
    // Only a link this application made is mailed: a made-up link or proof is not.
    const forged = await t.http
      .post(`/c/trl_c_${'C'.repeat(43)}/email`)
      .type('form')
      .send({ email: 'victim@elsewhere.test', proof });
    expect(forged.status).toBe(404);
    expect(mailbox.mails.some((m) => m.to === 'victim@elsewhere.test')).toBe(false);

    // The others answer through the API, all with a comment; someone without one gets no link.
    for (const [i, link] of links.slice(1).entries()) {
      const res = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items), comment: `Colleague comment ${i}` });
      expect(res.status).toBe(201);
    }
  }, 60_000);

  it('keeps the link single-purpose: it opens no pulse, and a pulse link opens no conversation', async () => {
    expect((await t.http.get(`/pulse/${token}`)).status).toBe(404);
    expect((await t.http.get(`/r/${token}`)).status).toBe(404);
    expect((await t.http.get(`/c/${links[1].token}`)).status).toBe(404);
  });

  it('answers an unknown link, well-formed or not, with the same 404 page', async () => {
    const other = `trl_c_${'B'.repeat(43)}`;
    const a = await t.http.get(`/c/${other}`);
    const b = await t.http.get('/c/short');
    expect(a.status).toBe(404);
    expect(b.status).toBe(404);
    expect(a.text).toBe(b.text);
    expect(a.text).toContain('This conversation link is not known');
  });

  it('lets the round close, then a leader of the team replies on the comments page', async () => {
    expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
    const read = await t.http
      .get(`/units/${alpha}/comments?round=${roundId}`)
      .set(as(leaderSession));
    expect(read.status).toBe(200);
    expect(read.body.status).toBe('shown');
    const mine = (read.body.comments as { id: string; text: string }[]).find(
      (c) => c.text === AUTHOR_TEXT,
    );
    commentId = mine!.id;

    // Refusals by field, and nothing written.
    const blank = await t.http
      .post(`/units/${alpha}/comments/${commentId}/replies`)
      .set(as(leaderSession))
      .send({ round: roundId, text: '   ' });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body)).toContain('text');
    const long = await t.http
      .post(`/units/${alpha}/comments/${commentId}/replies`)
      .set(as(leaderSession))
      .send({ round: roundId, text: 'x'.repeat(2001) });
    expect(long.status).toBe(400);
    const unknown = await t.http
      .post(`/units/${alpha}/comments/${'A'.repeat(22)}/replies`)
      .set(as(leaderSession))
      .send({ round: roundId, text: 'hello' });
    expect(unknown.status).toBe(404);
    // Another team's leader cannot reply here.
    const other = await signIn(t.http, org.otherLeader.email);
    const refused = await t.http
      .post(`/units/${alpha}/comments/${commentId}/replies`)
      .set(as(other))
      .send({ round: roundId, text: 'hello' });
    expect(refused.status).toBe(403);
    const { rows: none } = await t.db.query(`select 1 from comment_reply`);
    expect(none).toEqual([]);

    const page = await (
      await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('Email').fill('lead@alpha.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/app`);
    await page.goto(`${base}/app/units/${alpha}/comments?round=${roundId}`);
    const item = page.locator(`li#c-${commentId}`);
    await item.getByRole('textbox', { name: 'Reply to the author' }).fill(LEADER_REPLY);
    await item.getByRole('button', { name: 'Send reply' }).click();
    await page.waitForURL(/saved=reply/);
    expect(await page.getByRole('status').first().textContent()).toContain('Reply sent');
    expect(await page.locator(`li#c-${commentId} ol.replies`).innerText()).toContain(LEADER_REPLY);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 375, height: 740 });
    await page
      .locator(`li#c-${commentId}`)
      .screenshot({ path: join(ARTIFACTS, 'conversation-leader-375.png') });
    await page.context().close();

    const { rows: audit } = await t.db.query<{ personId: string; detail: Record<string, unknown> }>(
      `select actor_person_id as "personId", detail from audit_event where action = 'comment.reply'`,
    );
    expect(audit).toEqual([
      { personId: leaderPersonId, detail: { round: roundId, comment: commentId, as: 'leader' } },
    ]);
  }, 60_000);

  it("shows the author the reply as their team's leader's, and takes their answer, telling the leader by email", async () => {
    const auditBefore = (await t.db.query(`select count(*)::int as n from audit_event`)).rows[0].n;
    const page = await (
      await browser.newContext({ viewport: { width: 375, height: 740 } })
    ).newPage();
    const res = await page.goto(`${base}/c/${token}`);
    expect(res?.status()).toBe(200);
    const card = page.locator(`li#c-${commentId}`);
    expect(await card.locator('.comment-text').first().innerText()).toBe(AUTHOR_TEXT);
    const conversation = await card.locator('ol.replies').innerText();
    expect(conversation).toContain("From your team's leader");
    expect(conversation).toContain(LEADER_REPLY);
    expect(conversation).not.toContain('Lea Lead');
    // Only the author's own comment: none of the colleagues'.
    expect(await page.locator('li.comment').count()).toBe(1);
    // The answering page's touch targets: 48 px.
    const heights = await page
      .locator('button')
      .evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(48);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'conversation-375.png'), fullPage: true });

    // A blank answer is refused by its field, on the page.
    await card.getByRole('button', { name: 'Send answer' }).click();
    await page.locator('.error').first().waitFor();
    expect(await page.locator('.error').first().innerText()).toContain('must not be blank');

    await page.locator(`li#c-${commentId}`).getByLabel('Your answer').fill(AUTHOR_ANSWER);
    await page.locator(`li#c-${commentId}`).getByRole('button', { name: 'Send answer' }).click();
    await page.getByText('Your answer has been sent').waitFor();
    expect(await page.locator(`li#c-${commentId} ol.replies`).innerText()).toContain(AUTHOR_ANSWER);
    await page.screenshot({
      path: join(ARTIFACTS, 'conversation-answered-375.png'),
      fullPage: true,
    });
    await page.context().close();

    // The author's answer is audited with no actor: it is not audited at all.
    const auditAfter = (await t.db.query(`select count(*)::int as n from audit_event`)).rows[0].n;
    expect(auditAfter).toBe(auditBefore);

    await until(
      "the leader's email",
      async () => mailbox.mails.some((m) => m.to === 'lead@alpha.test'),
      20_000,
    );
    const mail = mailbox.mails.find((m) => m.to === 'lead@alpha.test')!;
    expect(mail.subject).toBe('A comment at Team Alpha has an answer');
    expect(mail.text).toContain(`/app/units/${alpha}/comments?round=${roundId}`);
    for (let i = 0; i < 4; i++) {
      expect(mail.text).not.toContain(`member${i}@alpha.test`);
      expect(mail.text).not.toContain(`Number${i}`);
    }
    expect(mail.text).not.toContain(AUTHOR_ANSWER);
    expect(mail.text).not.toContain(token);
    // The job names the stored message only: no author, no link, no text.
    const jobKeys = (await t.redis.keys(`${t.prefix}:*`)).filter((k) =>
      /:conversation\.notify\.[0-9a-f-]{36}$/.test(k),
    );
    expect(jobKeys).toHaveLength(1);
    const job = await t.redis.hgetall(jobKeys[0]);
    expect(JSON.parse(job.data)).toEqual({ replyId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(JSON.stringify(job)).not.toContain(token);
    expect(JSON.stringify(job)).not.toContain(AUTHOR_ANSWER);
    // Sent once, even if the job runs again.
    const { rows } = await t.db.query(`select notified from comment_reply where by = 'author'`);
    expect(rows).toEqual([{ notified: true }]);
    const sent = mailbox.mails.length;
    const again = await worker
      .get(NotificationsService)
      .notifyConversationAnswer((JSON.parse(job.data) as { replyId: string }).replyId);
    expect(again).toBe('skipped');
    expect(mailbox.mails.length).toBe(sent);

    const read = await t.http
      .get(`/units/${alpha}/comments?round=${roundId}`)
      .set(as(leaderSession));
    const comment = (read.body.comments as { id: string; replies: object[] }[]).find(
      (c) => c.id === commentId,
    );
    expect(comment!.replies).toEqual([
      {
        by: 'leader',
        label: 'A leader of Team Alpha',
        text: LEADER_REPLY,
        day: expect.any(String),
      },
      { by: 'author', label: 'The author', text: AUTHOR_ANSWER, day: expect.any(String) },
    ]);
  }, 60_000);

  it('lets HR reply, shown to the author as HR', async () => {
    const res = await t.http
      .post(`/units/${alpha}/comments/${commentId}/replies`)
      .set(as(hrSession))
      .send({ round: roundId, text: 'HR here: we will look into it.' });
    expect(res.status).toBe(201);
    const page = await t.http.get(`/c/${token}`);
    expect(page.text).toContain('From HR');
  });

  it('lets HR hide a comment: withheld from readers, counts unchanged, the reason on the author page, audited', async () => {
    const before = await t.http
      .get(`/units/${alpha}/comments?round=${roundId}`)
      .set(as(leaderSession));
    const asLeader = await t.http
      .post(`/units/${alpha}/comments/${commentId}/moderation`)
      .set(as(leaderSession))
      .send({ round: roundId, reason: 'names someone' });
    expect(asLeader.status).toBe(403);
    const noReason = await t.http
      .post(`/units/${alpha}/comments/${commentId}/moderation`)
      .set(as(hrSession))
      .send({ round: roundId, reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body)).toContain('reason');
    const hidden = await t.http
      .post(`/units/${alpha}/comments/${commentId}/moderation`)
      .set(as(hrSession))
      .send({ round: roundId, reason: 'It names a colleague.' });
    expect(hidden.status).toBe(201);

    const after = await t.http
      .get(`/units/${alpha}/comments?round=${roundId}`)
      .set(as(leaderSession));
    expect(after.body.total).toBe(before.body.total);
    expect(after.body.authors).toBe(before.body.authors);
    expect(JSON.stringify(after.body)).not.toContain(AUTHOR_TEXT);
    const shown = (after.body.comments as { id: string; text: string; hidden: object }[]).find(
      (c) => c.id === commentId,
    );
    expect(shown).toMatchObject({ text: '', hidden: { reason: 'It names a colleague.' } });
    // Searching for its words finds nothing.
    const search = await t.http
      .get(`/units/${alpha}/comments?round=${roundId}&q=release%20process`)
      .set(as(leaderSession));
    expect(search.body.comments).toEqual([]);
    const csv = await t.http
      .get(`/organisations/${org.orgId}/comments.csv?round=${roundId}`)
      .set(as(hrSession));
    expect(csv.text).toContain('(hidden by HR)');
    expect(csv.text).not.toContain(AUTHOR_TEXT);
    const page = await t.http
      .get(`/app/units/${alpha}/comments?round=${roundId}`)
      .set('cookie', `trellis_session=${leaderSession}`);
    expect(page.text).toContain('Hidden by HR:');
    expect(page.text).not.toContain(AUTHOR_TEXT);

    // HR's page: the reason in place of the text, and the way back.
    const hrPage = await (
      await browser.newContext({ viewport: { width: 375, height: 740 } })
    ).newPage();
    await hrPage.goto(`${base}/sign-in`);
    await hrPage.getByLabel('Email').fill(org.hr.email);
    await hrPage.getByLabel('Password').fill(PASSWORD);
    await hrPage.getByRole('button', { name: 'Sign in' }).click();
    await hrPage.waitForURL(`${base}/app`);
    await hrPage.goto(`${base}/app/units/${alpha}/comments?round=${roundId}`);
    const card = hrPage.locator(`li#c-${commentId}`);
    expect(await card.innerText()).toContain('Hidden by HR: It names a colleague.');
    expect(await card.getByRole('button', { name: 'Show again' }).count()).toBe(1);
    expect(await accessibilityViolations(hrPage)).toEqual([]);
    await card.screenshot({ path: join(ARTIFACTS, 'conversation-hidden-hr-375.png') });
    await hrPage.context().close();

    const author = await t.http.get(`/c/${token}`);
    expect(author.text).toContain('HR has hidden this comment from its readers');
    expect(author.text).toContain('It names a colleague.');

    const { rows } = await t.db.query<{ action: string; personId: string; detail: object }>(
      `select action, actor_person_id as "personId", detail from audit_event where action like 'comment.hide%'`,
    );
    expect(rows).toEqual([
      {
        action: 'comment.hide',
        personId: org.hr.id,
        detail: { round: roundId, comment: commentId, reason: 'It names a colleague.' },
      },
    ]);
  });

  it('stores nothing a database reader could join to a person, an invitation, a participation or a response', async () => {
    const columns = async (table: string) =>
      (
        await t.db.query<{ column_name: string; data_type: string }>(
          `select column_name, data_type from information_schema.columns where table_name = $1 order by column_name`,
          [table],
        )
      ).rows.map((c) => `${c.column_name}:${c.data_type}`);
    expect(await columns('comment_reply')).toEqual([
      'body:text',
      'by:text',
      'comment_key:text',
      'id:uuid',
      'notified:boolean',
      'organisation_id:uuid',
      'round_id:uuid',
      'seq:integer',
      'shown_at:uuid',
      'signed_as:uuid',
      'written_on:date',
    ]);
    expect(await columns('comment_hidden')).toEqual([
      'comment_key:text',
      'hidden_on:date',
      'organisation_id:uuid',
      'reason:text',
      'round_id:uuid',
    ]);
    expect(await columns('comment')).toContain('conversation:bytea');

    // No reply id, key or unit is an id of a person, an invitation, a response or a comment row.
    const { rows: shared } = await t.db.query(
      `select r.id from comment_reply r where
         exists (select 1 from person p where p.id in (r.id, r.shown_at, r.signed_as))
         or exists (select 1 from invitation i where i.id = r.id)
         or exists (select 1 from response s where s.id = r.id)
         or exists (select 1 from comment c where c.id = r.id or c.id::text = r.comment_key)`,
    );
    expect(shared).toEqual([]);
    // The stored link is keyed: not the plain SHA-256 of the token (which anyone holding a link
    // could look up), not an invitation token's hash, and the token itself is nowhere.
    const plain = createHash('sha256').update(token).digest();
    const { rows: hashes } = await t.db.query<{ conversation: Buffer | null }>(
      `select conversation from comment where round_id = $1`,
      [roundId],
    );
    expect(hashes).toHaveLength(4);
    expect(hashes.every((h) => h.conversation?.length === 32)).toBe(true);
    expect(hashes.some((h) => h.conversation!.equals(plain))).toBe(false);
    const { rows: tokenHashes } = await t.db.query(
      `select 1 from invitation_token t join comment c on c.conversation = decode(t.token_hash, 'hex')`,
    );
    expect(tokenHashes).toEqual([]);
    const { rows: participation } = await t.db.query(
      `select 1 from participation p join comment c on c.conversation = p.mark or c.conversation = p.receipt`,
    );
    expect(participation).toEqual([]);
    const dump = JSON.stringify(
      (
        await t.db.query(
          `select row_to_json(x)::text as j from (select * from comment_reply) x
           union all select row_to_json(x)::text from (select * from comment_hidden) x
           union all select row_to_json(x)::text from (select * from audit_event) x`,
        )
      ).rows,
    );
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(6));
    // Replies are stored by role and day; the author's row nowhere names who wrote it.
    const { rows: roles } = await t.db.query(
      `select by, signed_as is not null as signed from comment_reply order by seq`,
    );
    expect(roles).toEqual([
      { by: 'leader', signed: true },
      { by: 'author', signed: false },
      { by: 'hr', signed: false },
    ]);
  });

  it('keeps the link out of the real log of a running API', async () => {
    const port = await freePort();
    const api = launch('api', {
      DATABASE_URL: process.env.DATABASE_URL!,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SMTP_URL: mailbox.url,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    });
    try {
      await api.waitFor(/listening on/);
      const read = await fetch(`http://127.0.0.1:${port}/c/${token}`);
      expect(read.status).toBe(200);
      const answered = await fetch(`http://127.0.0.1:${port}/c/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ comment: commentId, text: 'One more thought.' }).toString(),
      });
      expect(answered.status).toBe(200);
      // A cross-site form is refused, as on the answering page.
      const crossSite = await fetch(`http://127.0.0.1:${port}/c/${token}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://evil.example',
        },
        body: new URLSearchParams({ comment: commentId, text: 'forged' }).toString(),
      });
      expect(crossSite.status).toBe(403);
    } finally {
      api.child.kill('SIGTERM');
    }
    const result = await api.finished;
    const output = result.stdout + result.stderr;
    expect(output).toContain('/c/[token]');
    expect(output).not.toContain(token);
    expect(output).not.toContain(token.slice(6, 20));
  }, 60_000);
});
