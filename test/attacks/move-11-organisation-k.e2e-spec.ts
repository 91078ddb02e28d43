import { ResponseMixer, RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows } from '../support/history';
import { addMembers, answersFor, mintLinks, setMinGroupSize, type Link } from '../support/links';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Red-team move 11: the minimum was the constant 5 (and 10) in the mixer, the late-import rule
 * and the pulse page's promises, whatever the organisation's k. Here, with k = 3 and k = 8, each
 * follows the organisation's settings.
 */
describe.each([3, 8])('attack move 11: the organisation’s k = %i', (k) => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, `move11k${k}`);
    await addMembers(t.app, org.orgId, org.teamId, 12, `m11k${k}`);
    await setMinGroupSize(t.db, org.orgId, k);
    hr = await signIn(t.http, org.hr.email);
  }, 60_000);

  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[]) =>
    (await t.db.query<{ n: number }>(sql, params)).rows[0].n;

  async function answer(link: Link): Promise<void> {
    const form = await t.http.get(`/pulse/${link.token}`);
    const res = await t.http
      .post(`/pulse/${link.token}`)
      .send({ answers: answersFor(form.body.items) });
    expect(res.status).toBe(201);
  }

  it('mixes answers out of the pool only in batches of at least k', async () => {
    const { roundId } = await openRoundNow(t.app, org, { leaderSelfView: false });
    const links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
    const mixer = { mix: (id: string) => t.app.get(ResponseMixer).mix(id) };
    const responses = () =>
      count(`select count(*)::int as n from response where round_id = $1`, [roundId]);

    // One short of k: nothing may leave the pool, however often the mix runs.
    for (const link of links.slice(0, k - 1)) {
      await answer(link);
      expect(await responses()).toBe(0);
      await mixer.mix(roundId);
    }
    expect(await responses()).toBe(0);
    // The k-th answer completes a batch.
    await answer(links[k - 1]);
    expect(await mixer.mix(roundId)).toBe(k);
    expect(await responses()).toBe(k);
    // One more waits again.
    await answer(links[k]);
    expect(await mixer.mix(roundId)).toBe(0);
    const batches = await t.db.query<{ n: number }>(
      `select count(*)::int as n from response where round_id = $1 group by xmin::text`,
      [roundId],
    );
    for (const b of batches.rows) expect(b.n).toBeGreaterThanOrEqual(k);
    // Closing empties the pool whatever its size, before aggregation.
    await t.app.get(RoundsService).close(roundId);
    expect(await responses()).toBe(k + 1);
    expect(
      await count(`select count(*)::int as n from response_pool where round_id = $1`, [roundId]),
    ).toBe(0);
  }, 60_000);

  it('a late import must bring at least k people to each team it touches', async () => {
    const upload = (csv: string, query: Record<string, string>) =>
      t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .query(query)
        .set('authorization', `Bearer ${hr}`)
        .type('text/csv')
        .send(csv);
    const first = await upload(historyCsv(historyRows('platform', 8, 'healthy')), {
      periodStart: '2025-05-05',
      periodEnd: '2025-05-16',
    });
    expect(first.status).toBe(201);
    const roundId = first.body.roundId as string;
    const three = await upload(historyCsv(historyRows('platform', 3, 'healthy')), { roundId });
    if (k <= 3) {
      expect(three.status).toBe(201);
    } else {
      expect(three.status).toBe(400);
      expect(three.body.errors[0].message).toContain(`at least ${k}`);
      expect(three.body.errors[0].message).toContain('platform');
    }
  }, 60_000);

  it('the pulse page promises the organisation’s minimums', async () => {
    const { roundId } = await openRoundNow(t.app, org, { name: 'page', leaderSelfView: false });
    const [link] = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
    const page = await t.http.get(`/r/${link.token}`);
    expect(page.status).toBe(200);
    // Only the promises, so a failure shows what the page says rather than the whole page.
    const text = (
      page.text.replace(/\s+/g, ' ').match(/only if at least[^<]*|only when at least[^<]*/g) ?? []
    ).join(' | ');
    expect(text).toContain(`only if at least ${k} people answered`);
    expect(text).toContain(`only when at least ${Math.max(10, k)} people`);
    const json = await t.http.get(`/pulse/${link.token}`);
    expect(json.body).toMatchObject({ minGroupSize: k, minCommentGroup: Math.max(10, k) });
  }, 60_000);
});
