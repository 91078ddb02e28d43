import type { INestApplicationContext } from '@nestjs/common';
import { closesText, RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { until } from './support/until';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

const SECONDS = 1 / 86_400;

function answersFor(items: { key: string }[], value = 4): Record<string, number> {
  return Object.fromEntries(items.map((i) => [i.key, value]));
}

describe('the survey cycle, end to end with real Redis and two workers', () => {
  let t: TestApp;
  let org: OrgFixture;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let workers: INestApplicationContext[] = [];
  let hr: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url, SCHEDULER_TICK_MS: '250' });
    org = await createOrg(t.app, 'cycle');
    hr = await signIn(t.http, org.hr.email);
    // Platform gets enough members for a pool batch of five.
    for (let i = 0; i < 5; i++) {
      const person = await t.http
        .post(`/organisations/${org.orgId}/people`)
        .set('authorization', `Bearer ${hr}`)
        .send({ email: `extra${i}@cycle.test`, name: `Extra ${i}` });
      await t.http
        .post(`/units/${org.teamId}/members`)
        .set('authorization', `Bearer ${hr}`)
        .send({ personId: person.body.id, role: 'member' });
    }
    workers = [await startWorker(), await startWorker()];
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await t.close();
    await mailbox.close();
  });

  it('opens, invites, reminds only those who have not answered, closes and hands over to aggregation', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const created = await t.http
      .post(`/organisations/${org.orgId}/campaigns`)
      .set('authorization', `Bearer ${hr}`)
      .send({
        name: 'Every half minute',
        form: 'short',
        cadence: 'cron',
        cron: '*/30 * * * * *',
        timezone: 'UTC',
        openDays: 20 * SECONDS,
        reminderDays: [9 * SECONDS],
        startsOn: today,
        teamIds: [org.teamId],
      });
    expect(created.status).toBe(201);
    const campaignId: string = created.body.id;
    const describeRounds = async () => ({
      createdAt: created.body.createdAt,
      now: new Date().toISOString(),
      rounds: (
        await t.db.query('select opens_at, closes_at, status from round where campaign_id = $1', [
          campaignId,
        ])
      ).rows,
    });

    // The scheduler opens the round by itself; two workers, one round.
    const round = await until(
      'a round',
      async () => {
        // The first round that opens after the campaign exists, so its whole window lies ahead.
        const rows = await t.db.query(
          'select id, closes_at from round where campaign_id = $1 and opens_at >= $2 order by opens_at',
          [campaignId, created.body.createdAt],
        );
        return rows.rows[0] as { id: string; closes_at: Date } | undefined;
      },
      60_000,
      describeRounds,
    );
    const members = (
      await t.db.query(
        `select p.email from membership m join person p on p.id = m.person_id where m.unit_id = $1 and m.role = 'member'`,
        [org.teamId],
      )
    ).rows.map((r: { email: string }) => r.email);
    expect(members).toHaveLength(7);
    // Mails of this round (an earlier period's round may have opened when the campaign was made).
    const closes = closesText(new Date(round.closes_at), 'UTC');
    const mailsTo = (email: string, reminder: boolean) =>
      mailbox.mails.filter(
        (m) =>
          m.to === email && m.text.includes(closes) && /^Reminder/.test(m.subject) === reminder,
      );
    const linkFor = (email: string, reminder = false) => mailsTo(email, reminder)[0]?.link ?? null;

    await until('all invitations', async () => members.every((e) => linkFor(e)));
    const leaderMail = await until('the leader’s self-view invitation', async () =>
      mailbox.mails.find((m) => m.to === org.leader.email && m.text.includes(closes)),
    );
    expect(leaderMail.subject).toMatch(/How do you see Platform/);

    // Five people answer before the reminder; two do not.
    const answering = members.slice(0, 5);
    for (const email of answering) {
      const token = tokenOf(linkFor(email)!);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      expect(form.body.items).toHaveLength(12); // two per dimension
      const res = await t.http
        .post(`/pulse/${token}`)
        .send({ answers: answersFor(form.body.items), comment: `note from someone` });
      expect(res.status).toBe(201);
    }
    // Five answers make a batch: a worker's mix job empties the pool into the answer tables.
    await until('the batch of five to be mixed', async () => {
      const { rows } = await t.db.query<{ pool: number; responses: number }>(
        `select (select count(*)::int from response_pool where round_id = $1) as pool,
                (select count(*)::int from response where round_id = $1 and kind = 'member') as responses`,
        [round.id],
      );
      return rows[0].pool === 0 && rows[0].responses === 5;
    });

    const silent = members.slice(5);
    await until('reminders', async () => silent.every((e) => linkFor(e, true)), 30_000);
    for (const email of answering) {
      expect(mailsTo(email, true)).toHaveLength(0);
    }
    // Exactly one invitation each for this round, despite two workers.
    for (const email of members) expect(mailsTo(email, false)).toHaveLength(1);

    // A reminder link works too.
    const reminderLink = linkFor(silent[0], true)!;
    const late = await t.http.get(`/pulse/${tokenOf(reminderLink)}`);
    expect(late.status).toBe(200);
    expect(
      (
        await t.http
          .post(`/pulse/${tokenOf(reminderLink)}`)
          .send({ answers: answersFor(late.body.items, 2) })
      ).status,
    ).toBe(201);

    // The round closes on time and is handed to aggregation.
    await until('the round to close', async () => {
      const r = await t.db.query('select status from round where id = $1', [round.id]);
      return r.rows[0].status === 'closed';
    });
    // The aggregation job ran: the round has results, and the team its indicators.
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [round.id])).rows[0]
          .aggregated_at,
    );
    const results = await t.db.query(
      `select count(*)::int as n from unit_result where round_id = $1 and unit_id = $2 and not rollup`,
      [round.id, org.teamId],
    );
    expect(results.rows[0].n).toBe(6);

    // Closed: six responses (5 + the late one), links no longer work.
    expect(
      (
        await t.db.query(
          `select count(*)::int as n from response where round_id = $1 and kind = 'member'`,
          [round.id],
        )
      ).rows[0].n,
    ).toBe(6);
    expect(
      (await t.http.get(`/pulse/${tokenOf(linkFor(silent[1])!)}`)).status,
    ).toBeGreaterThanOrEqual(404);

    // Participation: the round reports 6 of 7 answered.
    const view = await t.http.get(`/rounds/${round.id}`).set('authorization', `Bearer ${hr}`);
    expect(view.body.teams).toEqual([
      expect.objectContaining({ unitId: org.teamId, invited: 7, answered: 6 }),
    ]);

    // One round per period, whatever the number of workers.
    const periods = await t.db.query(
      'select opens_at, count(*)::int as n from round where campaign_id = $1 group by opens_at',
      [campaignId],
    );
    for (const p of periods.rows) expect(p.n).toBe(1);
    await t.http
      .patch(`/campaigns/${campaignId}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ active: false });
  }, 120_000);

  it('stores answers so that nothing ties them to a person', async () => {
    const columns = await t.db.query(
      `select table_name, column_name, data_type from information_schema.columns
        where table_name in ('response', 'comment', 'response_pool', 'participation') order by table_name, ordinal_position`,
    );
    const names = columns.rows.map((c: { column_name: string }) => c.column_name);
    expect(names).not.toEqual(expect.arrayContaining(['person_id']));
    for (const c of columns.rows as { column_name: string; data_type: string }[]) {
      expect(c.column_name).not.toMatch(/person|invitation|email|token|created|updated/);
      expect(c.data_type).not.toMatch(/timestamp|time with/);
    }
    const people = (await t.db.query('select id, email from person')).rows as {
      id: string;
      email: string;
    }[];
    for (const table of ['response', 'comment', 'response_pool', 'participation']) {
      const dump = JSON.stringify((await t.db.query(`select * from ${table}`)).rows);
      for (const p of people) {
        expect(dump).not.toContain(p.id);
        expect(dump).not.toContain(p.email);
      }
    }
    const invitations = await t.db.query('select * from invitation limit 1');
    expect(Object.keys(invitations.rows[0])).not.toEqual(
      expect.arrayContaining(['answered_at', 'answered_on']),
    );
    // Whether someone answered is not in their invitation at all, only as a keyed mark.
    expect(Object.keys(invitations.rows[0])).not.toContain('answered');
    // Response ids are random (version 4), so their order says nothing.
    const ids = (await t.db.query('select id from response')).rows.map((r: { id: string }) => r.id);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  });

  it('catches up after the workers were away: an overdue round is closed and handed on', async () => {
    for (const w of workers) await w.close();
    workers = [];
    const today = new Date().toISOString().slice(0, 10);
    const created = await t.http
      .post(`/organisations/${org.orgId}/campaigns`)
      .set('authorization', `Bearer ${hr}`)
      .send({
        name: 'While away',
        form: 'full',
        cadence: 'cron',
        cron: '*/10 * * * * *',
        timezone: 'UTC',
        openDays: 3 * SECONDS,
        reminderDays: [],
        startsOn: today,
        teamIds: [org.otherTeamId],
      });
    expect(created.status).toBe(201);
    const rounds = t.app.get(RoundsService);
    const due = await until('a period', async () =>
      (await rounds.dueWork(new Date())).open.find((o) => o.campaignId === created.body.id),
    );
    const roundId = (await rounds.open(created.body.id, due.opensAt))!;
    expect(roundId).toBeTruthy();
    await t.http
      .patch(`/campaigns/${created.body.id}`)
      .set('authorization', `Bearer ${hr}`)
      .send({ active: false });
    await new Promise((r) => setTimeout(r, 3500)); // the round is now overdue, and nobody is running
    expect(
      (await t.db.query('select status from round where id = $1', [roundId])).rows[0].status,
    ).toBe('open');

    workers = [await startWorker()];
    await until(
      'the overdue round to close',
      async () =>
        (await t.db.query('select status from round where id = $1', [roundId])).rows[0].status ===
        'closed',
    );
    await until(
      'its aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
  }, 60_000);
});
