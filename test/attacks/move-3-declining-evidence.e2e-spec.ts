import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows, importRound } from '../support/history';
import { createTestApp, type TestApp } from '../support/test-app';
import { startWorker } from '../support/worker';

const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface FlagView {
  code: string;
  evidence: Record<string, unknown>;
  explanation: string;
}

/**
 * Red-team move 3: a leader reads a `declining` flag whose "previous round" was hidden for the
 * team. Sales had 3 respondents (k = 5) in the first round, so nothing of that round may be
 * shown; in the second round 7 answered. The flag's evidence and text quoted the hidden round's
 * means ("fell from 4.3 of 5 to 1.4").
 */
describe('attack, move 3: a declining flag does not quote a round that was hidden for the team', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  let hiddenRound: string;
  let shownRound: string;

  beforeAll(async () => {
    t = await createTestApp({ SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'move3');
    const hr = await signIn(t.http, org.hr.email);
    // Decision rights 4, 5, 4 for the three: a mean of 4.33, "4.33 of 5" in a sentence (once "4.3 of 5").
    hiddenRound = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(-60), periodEnd: day(-47) },
      historyCsv([...historyRows('sales', 3, 'healthy'), ...historyRows('platform', 6, 'healthy')]),
    );
    shownRound = await importRound(
      t,
      org.orgId,
      hr,
      { periodStart: day(-20), periodEnd: day(-14) },
      historyCsv([
        ...historyRows('sales', 7, 'micromanaged'),
        ...historyRows('platform', 6, 'healthy'),
      ]),
    );
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  it('the leader’s report has no flag built from the hidden round', async () => {
    const leader = await signIn(t.http, org.otherLeader.email);
    const res = await t.http
      .get(`/units/${org.otherTeamId}/report`)
      .set('authorization', `Bearer ${leader}`);
    expect(res.status).toBe(200);
    expect(res.body.latest).toMatchObject({ shown: true, respondents: 7 });
    expect(res.body.trends[0]).toMatchObject({ shown: false, respondents: 3 });
    const flags = res.body.flags as FlagView[];
    // The new round is micromanaged: flags are raised, just none from the hidden round.
    expect(flags.map((f) => f.code)).toContain('micromanagement');
    expect(flags.map((f) => f.code)).not.toContain('declining');
    for (const flag of flags) {
      expect(Object.keys(flag.evidence).filter((key) => key.endsWith('.previous'))).toEqual([]);
      expect(flag.explanation).not.toMatch(/since the last round|4\.33? of 5/);
    }
  });

  it('nothing of the hidden team round is stored, so nothing later can read it', async () => {
    const stored = await t.db.query(
      `select (select count(*) from unit_result where round_id = $1 and unit_id = $2)::int as results,
              (select count(*) from item_result where round_id = $1 and unit_id = $2)::int as items`,
      [hiddenRound, org.otherTeamId],
    );
    expect(stored.rows[0]).toEqual({ results: 0, items: 0 });
    const flags = await t.db.query(
      `select code, evidence::text as evidence, explanation from flag where round_id = $1 and unit_id = $2`,
      [shownRound, org.otherTeamId],
    );
    expect(flags.rows.length).toBeGreaterThan(0);
    for (const f of flags.rows) {
      expect(f.code).not.toBe('declining');
      expect(f.evidence).not.toContain('.previous');
    }
  });
});
