import { Client } from 'pg';
import { createOrg, type OrgFixture } from './support/fixtures';
import { answersFor, mintLinks, type Link } from './support/links';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * Issue 13, item 4: an answer is stored if and only if it is acknowledged. A submission is one
 * transaction; a retry after a lost response is recognised by its receipt and answered exactly
 * as the first time, never 409.
 */
describe('answers: stored ⇔ acknowledged', () => {
  let t: TestApp;
  let org: OrgFixture;
  let roundId: string;
  let links: Link[];

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'acked');
    ({ roundId } = await openRoundNow(t.app, org));
    links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
  }, 60_000);

  afterAll(() => t.close());

  const stored = async () =>
    (
      await t.db.query<{ marks: number; pool: number; responses: number }>(
        `select (select count(*)::int from participation where round_id = $1) as marks,
                (select count(*)::int from response_pool where round_id = $1) as pool,
                (select count(*)::int from response where round_id = $1) as responses`,
        [roundId],
      )
    ).rows[0];

  async function bodyFor(link: Link, value = 4, comment?: string) {
    const form = await t.http.get(`/pulse/${link.token}`);
    expect(form.status).toBe(200);
    return { answers: answersFor(form.body.items, value), ...(comment ? { comment } : {}) };
  }

  it('the same submission sent again after its answer was lost is acknowledged the same way, and stored once', async () => {
    const link = links[0];
    const body = await bodyFor(link, 4, 'the same words');
    const first = await t.http.post(`/pulse/${link.token}`).send(body);
    // Same answers in another key order: the same submission.
    const reordered = {
      comment: body.comment,
      answers: Object.fromEntries(Object.entries(body.answers).reverse()),
    };
    const again = await t.http.post(`/pulse/${link.token}`).send(reordered);
    expect({ status: again.status, body: again.body }).toEqual({
      status: first.status,
      body: first.body,
    });
    expect(first.status).toBe(201);
    const before = await stored();
    expect(before.marks).toBe(1);
    // A different submission on the used link is refused.
    const other = await t.http
      .post(`/pulse/${link.token}`)
      .send({ ...body, comment: 'other words' });
    expect(other.status).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it('a response lost after the commit (the client gone): the retry gets success, never 409', async () => {
    const link = links[1];
    const body = await bodyFor(link, 2);
    const before = await stored();
    // Hold the submission inside its transaction, drop the client, then let it commit.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('lock table participation in share mode');
      const lost = t.http
        .post(`/pulse/${link.token}`)
        .timeout(1500)
        .send(body)
        .then(
          () => 'answered',
          (error: { timeout?: number }) => (error.timeout ? 'gone' : 'failed'),
        );
      await until(
        'the submission to wait inside its transaction',
        async () =>
          (
            await t.db.query(
              `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
                and query ilike '%insert into participation%'`,
            )
          ).rowCount,
      );
      expect(await lost).toBe('gone');
    } finally {
      await holder.query('rollback');
      await holder.end();
    }
    await until(
      'the abandoned submission to commit',
      async () => (await stored()).marks === before.marks + 1,
    );
    const retry = await t.http.post(`/pulse/${link.token}`).send(body);
    expect({ status: retry.status, body: retry.body }).toEqual({
      status: 201,
      body: { status: 'received', teamName: link.unitId === org.teamId ? 'Platform' : 'Sales' },
    });
    expect((await stored()).marks).toBe(before.marks + 1);
  });
  // A connection killed before the commit (503, nothing stored, the retry succeeds) is
  // test/database-outage.e2e-spec.ts, against the built API.
});
