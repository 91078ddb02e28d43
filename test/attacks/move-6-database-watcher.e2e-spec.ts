import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { Client } from 'pg';
import { RoundsService } from '@trellis/surveys';
import { deriveAnswerKeys, DEVELOPMENT_ANSWER_KEY } from '../../libs/surveys/src/sealing';
import { createOrg, type OrgFixture } from '../support/fixtures';
import { addMembers, answersFor, mintLinks, type Link } from '../support/links';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';
import { startWorker } from '../support/worker';

const ANSWER_KEY = randomBytes(32).toString('base64');
const TABLES = ['invitation', 'participation', 'response_pool', 'response', 'comment'];

interface Seen {
  table: string;
  xmin: string;
  ctid: string;
  row: string;
  at: number;
}

/**
 * Red-team move 6: someone watching the live database saw each submission flip exactly one
 * invitation's `answered` and add one pool row holding that person's answers and comment. This
 * watcher polls every table a submission could touch (rows, xmin, ctid, order) every few
 * milliseconds during a burst of real submissions, and then reads the whole database.
 */
describe('attack move 6: a database watcher during a burst of submissions', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let roundId: string;
  let links: Link[];
  const canaries: string[] = [];
  const seen: Seen[] = [];

  beforeAll(async () => {
    t = await createTestApp({ ANSWER_KEY, SCHEDULER_TICK_MS: '200' });
    org = await createOrg(t.app, 'move6');
    await addMembers(t.app, org.orgId, org.teamId, 16, 'm6');
    worker = await startWorker();
    ({ roundId } = await openRoundNow(t.app, org, { leaderSelfView: false }));
    links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');

    const watcher = new Client({ connectionString: process.env.DATABASE_URL });
    await watcher.connect();
    const present = (
      await watcher.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_name = any($1)`,
        [TABLES],
      )
    ).rows.map((r) => r.name);
    const poll = present
      .map(
        (table) =>
          `select '${table}' as "table", xmin::text, ctid::text, row_to_json(x)::text as row from ${table} x`,
      )
      .join(' union all ');
    let watching = true;
    const watching$ = (async () => {
      while (watching) {
        const { rows } = await watcher.query<Omit<Seen, 'at'>>(poll);
        const at = Date.now();
        for (const r of rows) seen.push({ ...r, at });
        await new Promise((r) => setTimeout(r, 3));
      }
    })();

    // The burst: every member answers through the API, several at a time, each with a comment.
    const submit = async (link: Link, i: number) => {
      const form = await t.http.get(`/pulse/${link.token}`);
      const comment = `canary ${randomBytes(6).toString('hex')} from ${i}`;
      canaries.push(comment);
      const res = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items, 1 + (i % 5)), comment });
      if (res.status !== 201) throw new Error(`submission ${i}: ${res.status}`);
    };
    for (let wave = 0; wave < links.length; wave += 6) {
      await Promise.all(links.slice(wave, wave + 6).map((l, j) => submit(l, wave + j)));
      await new Promise((r) => setTimeout(r, 150));
    }
    // The worker mixes full batches off the request path while the round is open.
    await until(
      'a mix while the round is open',
      async () =>
        (await t.db.query(`select 1 from response where round_id = $1`, [roundId])).rowCount,
    );
    await t.app.get(RoundsService).close(roundId);
    await new Promise((r) => setTimeout(r, 50));
    watching = false;
    await watching$;
    await watcher.end();
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('saw every invitation row exactly as it was before the burst: same xmin, same place, same content', () => {
    const versions = new Map<string, Set<string>>();
    for (const s of seen.filter((x) => x.table === 'invitation')) {
      const id = (JSON.parse(s.row) as { id: string }).id;
      if (!versions.has(id)) versions.set(id, new Set());
      versions.get(id)!.add(`${s.xmin}|${s.ctid}|${s.row}`);
    }
    expect(versions.size).toBeGreaterThanOrEqual(links.length);
    for (const [, v] of versions) expect(v.size).toBe(1);
  });

  it('never saw an answer or a comment in plaintext, nor a person or invitation id, outside the invitation table', () => {
    const others = seen.filter((s) => s.table !== 'invitation');
    expect(others.some((s) => s.table === 'response_pool')).toBe(true);
    const itemKey = /"(ps|pc|dr|al|ls|oc)\d+"/;
    const ids = [...links.map((l) => l.invitationId), ...links.map((l) => l.personId)];
    for (const s of others) {
      expect(s.row).not.toMatch(itemKey);
      for (const c of canaries) {
        expect(s.row).not.toContain(c);
        expect(s.row).not.toContain(Buffer.from(c).toString('hex'));
      }
      for (const id of ids) expect(s.row).not.toContain(id);
    }
  });

  it('the whole database holds no comment or answer in plaintext afterwards', async () => {
    const tables = (
      await t.db.query<{ name: string }>(
        `select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      )
    ).rows.map((r) => r.name);
    expect(tables).not.toContain('answer');
    for (const table of tables) {
      const { rows } = await t.db.query<{ row: string }>(
        `select row_to_json(x)::text as row from "${table}" x`,
      );
      for (const { row } of rows)
        for (const c of canaries) {
          expect(row).not.toContain(c.slice(0, 14));
          expect(row).not.toContain(Buffer.from(c.slice(0, 14)).toString('hex'));
        }
    }
    const columns = await t.db.query(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and (column_name = 'answered' or (table_name in ('response', 'response_pool', 'comment', 'participation')
          and data_type in ('timestamp with time zone', 'timestamp without time zone', 'jsonb', 'text') and column_name not in ('kind', 'source')))`,
    );
    expect(columns.rows).toEqual([]);
  });

  it('marks are keyed: only the application’s secret turns an invitation into its mark', async () => {
    const marks = new Set(
      (
        await t.db.query<{ mark: Buffer }>(`select mark from participation where round_id = $1`, [
          roundId,
        ])
      ).rows.map((r) => r.mark.toString('hex')),
    );
    expect(marks.size).toBe(links.length);
    const keyed = (secret: string, id: string) =>
      createHmac('sha256', deriveAnswerKeys(secret).mark).update(`mark\0${id}`).digest('hex');
    // With the secret, the application recomputes every mark...
    for (const l of links) expect(marks.has(keyed(ANSWER_KEY, l.invitationId))).toBe(true);
    // ...without it, the obvious guesses recompute none.
    for (const l of links) {
      for (const guess of [
        keyed(DEVELOPMENT_ANSWER_KEY, l.invitationId),
        createHash('sha256').update(l.invitationId).digest('hex'),
        createHash('sha256').update(`mark\0${l.invitationId}`).digest('hex'),
        createHash('md5').update(l.invitationId).digest('hex'),
      ])
        expect(marks.has(guess)).toBe(false);
    }
  });

  it('answers left the pool in batches of at least k, and neither xmin nor row order keeps the arrival order of participation', async () => {
    const batches = await t.db.query<{ n: number }>(
      `select count(*)::int as n from response where round_id = $1 group by xmin::text order by xmin::text::bigint`,
      [roundId],
    );
    expect(batches.rows.reduce((s, b) => s + b.n, 0)).toBe(links.length);
    // The last batch is the close's, which takes whatever is left; every live one holds k or more.
    for (const b of batches.rows.slice(0, -1)) expect(b.n).toBeGreaterThanOrEqual(5);
    // Every mark was rewritten by the last mix, in a shuffled order.
    const now = await t.db.query<{ xmin: string; mark: Buffer }>(
      `select xmin::text, mark from participation where round_id = $1 order by ctid`,
      [roundId],
    );
    expect(new Set(now.rows.map((r) => r.xmin)).size).toBe(1);
    const poolXmins = new Set(seen.filter((s) => s.table === 'response_pool').map((s) => s.xmin));
    expect(poolXmins.has(now.rows[0].xmin)).toBe(false);
    const firstSeen = new Map<string, number>();
    for (const s of seen.filter((x) => x.table === 'participation')) {
      const mark = (JSON.parse(s.row) as { mark: string }).mark;
      if (!firstSeen.has(mark)) firstSeen.set(mark, firstSeen.size);
    }
    const order = now.rows.map((r) => firstSeen.get(`\\x${r.mark.toString('hex')}`));
    expect(order).not.toEqual([...order].sort((a, b) => a! - b!));
  });
});
