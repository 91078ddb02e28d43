import { DataSource } from 'typeorm';
import { AnswerSealer, InstrumentsService, ResponseMixer } from '@trellis/surveys';
import { createOrg, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * The pool only ever lets answers go in batches of at least k (five by default) while a round is
 * open, even when many people submit and many mixes run at the same moment. Rows moved by one
 * transaction share a transaction id, which is how a batch would betray itself to someone with
 * database access.
 */
describe('the response pool under concurrent submissions', () => {
  let t: TestApp;
  let org: OrgFixture;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'pool');
    db = t.app.get(DataSource);
  }, 60_000);

  afterAll(() => t.close());

  async function openRound(): Promise<string> {
    const instrument = await t.app.get(InstrumentsService).builtInId();
    const { rows } = await t.db.query<{ id: string }>(
      `insert into round (organisation_id, instrument_version_id, form, period_start, period_end,
                          opens_at, closes_at, item_keys, source)
       select $1, v.id, 'short', current_date, current_date + 14, now(), now() + interval '14 days',
              '{ps_1}', 'schedule'
         from instrument_version v where v.instrument_id = $2 order by v.version desc limit 1
       returning id`,
      [org.orgId, instrument],
    );
    return rows[0].id;
  }

  /** A sealed submission lands in the pool, and a mix job runs right after it (as many workers may). */
  async function submit(roundId: string): Promise<void> {
    const sealed = t.app
      .get(AnswerSealer)
      .sealPool(roundId, org.teamId, { answers: { ps_1: 4 }, comment: null });
    await db.query(
      `insert into response_pool (organisation_id, round_id, unit_id, sealed) values ($1, $2, $3, $4)`,
      [org.orgId, roundId, org.teamId, sealed],
    );
    await t.app.get(ResponseMixer).mix(roundId);
  }
  const MIX_BATCH = 5;

  it('never moves fewer than five answers at once, however the submissions interleave', async () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const roundId = await openRound();
      await Promise.all(Array.from({ length: 30 }, () => submit(roundId)));

      const batches = await t.db.query<{ n: number }>(
        `select count(*)::int as n from response where round_id = $1 group by xmin::text`,
        [roundId],
      );
      const pooled = await t.db.query<{ n: number }>(
        `select count(*)::int as n from response_pool where round_id = $1`,
        [roundId],
      );
      const moved = batches.rows.reduce((sum, b) => sum + b.n, 0);
      expect(moved + pooled.rows[0].n).toBe(30);
      expect(moved).toBeGreaterThanOrEqual(MIX_BATCH);
      for (const batch of batches.rows) expect(batch.n).toBeGreaterThanOrEqual(MIX_BATCH);
      expect(pooled.rows[0].n).toBeLessThan(MIX_BATCH);
    }
  }, 60_000);
});
