import type { INestApplicationContext } from '@nestjs/common';
import { AggregationService } from '@trellis/aggregation';
import { countsForDimension, rwgJ } from '@trellis/scoring';
import { AUTONOMY_ALIGNMENT_PULSE, NOTHING_ANSWERED, RoundsService } from '@trellis/surveys';
import { createOrg, type OrgFixture } from './support/fixtures';
import { addMembers, mintLinks, setMinGroupSize, type Link } from './support/links';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

/**
 * Skipping a statement end to end (domain.md §2 and §4): people skip through the JSON API (an
 * explicit null) and through the answering page ("Prefer not to answer"), the round closes and is
 * aggregated by the real worker, and each dimension's n counts exactly the people who answered
 * at least half its items; item figures read whoever answered the item, and Cronbach's alpha is
 * psych::alpha's default, from pairwise-complete covariances (computed independently below).
 */

const REVERSED = new Set(AUTONOMY_ALIGNMENT_PULSE.items.filter((i) => i.reverse).map((i) => i.key));
const DIMENSION_OF = new Map(AUTONOMY_ALIGNMENT_PULSE.items.map((i) => [i.key, i.dimension]));

/** A value with some spread, the same for a person and item every time. */
const valueOf = (person: number, item: number) =>
  1 + ((person * 7 + item * 3 + ((person * item) % 5)) % 5);

/** Who skips what: the item keys each respondent leaves unanswered, and how they send it. */
const RESPONDENTS: { skips: string[]; via: 'api' | 'page' }[] = [
  { skips: [], via: 'api' },
  // dr: 2 of 4 answered (counts); ps: 3 of 5 (counts).
  { skips: ['dr1', 'dr2', 'ps1', 'ps2'], via: 'api' },
  // dr: 1 of 4 (does not count); ps: 2 of 5 (does not count).
  { skips: ['dr1', 'dr2', 'dr3', 'ps1', 'ps2', 'ps3'], via: 'api' },
  // Through the page: one item each of dr and ps, and all of over_control (no score there).
  { skips: ['dr4', 'ps5', 'oc1', 'oc2', 'oc3', 'oc4'], via: 'page' },
  { skips: ['al1'], via: 'page' },
];

const EXPECTED_N: Record<string, number> = {
  psych_safety: 4,
  purpose_clarity: 5,
  decision_rights: 4,
  alignment: 5,
  leader_support: 5,
  over_control: 4,
};

function sampleVariance(values: number[]): number | null {
  if (values.length < 2) return null;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
}

/** cov(x, use = "pairwise") over the rows where both items were answered. */
function pairwiseCovariance(rows: Map<string, number>[], a: string, b: string): number | null {
  const both = rows.filter((r) => r.has(a) && r.has(b));
  if (both.length < 2) return null;
  const ma = both.reduce((s, r) => s + r.get(a)!, 0) / both.length;
  const mb = both.reduce((s, r) => s + r.get(b)!, 0) / both.length;
  return both.reduce((s, r) => s + (r.get(a)! - ma) * (r.get(b)! - mb), 0) / (both.length - 1);
}

describe('skipping statements, from the answer to the aggregate', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let org: OrgFixture;
  let roundId: string;
  let itemKeys: string[];
  /** What each respondent answered, reverse-keyed, for the expectations. */
  const scored: Map<string, number>[] = [];
  const asAnswered: Map<string, number>[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    worker = await startWorker();
    org = await createOrg(t.app, 'skipping');
    await addMembers(t.app, org.orgId, org.teamId, 8, 'skip');
    await setMinGroupSize(t.db, org.orgId, 3);
    ({ roundId } = await openRoundNow(t.app, org, { form: 'full', leaderSelfView: false }));
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  let links: Link[];
  const participations = async () =>
    (
      await t.db.query<{ n: number }>(
        `select count(*)::int as n from participation where round_id = $1`,
        [roundId],
      )
    ).rows[0].n;

  it('takes skips through the JSON API (null) and the page (“Prefer not to answer”)', async () => {
    links = (await mintLinks(t.db, roundId)).filter(
      (l) => l.kind === 'member' && l.unitId === org.teamId,
    );
    expect(links.length).toBeGreaterThanOrEqual(RESPONDENTS.length + 2);
    const form = await t.http.get(`/pulse/${links[0].token}`).expect(200);
    itemKeys = (form.body.items as { key: string }[]).map((i) => i.key);
    expect(itemKeys).toHaveLength(AUTONOMY_ALIGNMENT_PULSE.items.length);

    for (const [p, { skips, via }] of RESPONDENTS.entries()) {
      const token = links[p].token;
      const given = new Map<string, number>();
      itemKeys.forEach((key, i) => {
        if (!skips.includes(key)) given.set(key, valueOf(p, i));
      });
      if (via === 'api') {
        const answers = Object.fromEntries(itemKeys.map((k) => [k, given.get(k) ?? null]));
        const res = await t.http.post(`/pulse/${token}`).send({ answers });
        expect({ status: res.status, body: res.body }).toEqual({
          status: 201,
          body: { status: 'received', teamName: 'Platform' },
        });
      } else {
        const body = new URLSearchParams(
          itemKeys.map((k) => [`answers[${k}]`, given.has(k) ? String(given.get(k)) : 'skip']),
        ).toString();
        const res = await t.http.post(`/r/${token}`).type('form').send(body);
        expect(res.status).toBe(200);
        expect(res.text).toContain('Thank you');
      }
      asAnswered.push(given);
      scored.push(
        new Map([...given].map(([k, v]) => [k, REVERSED.has(k) ? 6 - v : v] as [string, number])),
      );
    }
    expect(await participations()).toBe(RESPONDENTS.length);
  });

  it('refuses a submission that skips everything, by the API and the page, and stores nothing', async () => {
    const token = links[RESPONDENTS.length].token;
    const allNull = Object.fromEntries(itemKeys.map((k) => [k, null]));
    const api = await t.http.post(`/pulse/${token}`).send({ answers: allNull, comment: 'hm' });
    expect(api.status).toBe(400);
    expect(api.body.errors).toEqual([{ field: 'answers', message: NOTHING_ANSWERED }]);

    const page = await t.http
      .post(`/r/${token}`)
      .type('form')
      .send(new URLSearchParams(itemKeys.map((k) => [`answers[${k}]`, 'skip'])).toString());
    expect(page.status).toBe(400);
    expect(page.text).toContain('You chose “Prefer not to answer” for every statement');
    // Every skip stays chosen, so the person sees what they sent.
    expect(page.text.match(/value="skip" checked/g)).toHaveLength(itemKeys.length);
    expect(await participations()).toBe(RESPONDENTS.length);
  });

  it('still refuses an item left out, naming it and saying how to skip it', async () => {
    const token = links[RESPONDENTS.length + 1].token;
    const answers = Object.fromEntries(itemKeys.slice(1).map((k) => [k, 3]));
    const res = await t.http.post(`/pulse/${token}`).send({ answers });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      {
        field: `answers.${itemKeys[0]}`,
        message: 'is required: send a value, or null for “Prefer not to answer”',
      },
    ]);
    expect(await participations()).toBe(RESPONDENTS.length);
  });

  describe('once the round is closed and aggregated', () => {
    beforeAll(async () => {
      expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
      expect(await worker.get(AggregationService).aggregate(roundId)).toMatchObject({
        status: 'aggregated',
      });
    }, 60_000);

    /** Each respondent's dimension score by the domain rule, or absent. */
    function personScores(dimension: string): number[] {
      const keys = itemKeys.filter((k) => DIMENSION_OF.get(k) === dimension);
      return scored.flatMap((answers) => {
        const values = keys.filter((k) => answers.has(k)).map((k) => answers.get(k)!);
        return countsForDimension(values.length, keys.length)
          ? [values.reduce((a, b) => a + b, 0) / values.length]
          : [];
      });
    }

    it('counts a person for a dimension only when they answered at least half its items', async () => {
      const { rows } = await t.db.query<{ dimension: string; n: number; mean: number }>(
        `select dimension, n, mean from unit_result
          where round_id = $1 and unit_id = $2 and not rollup order by dimension`,
        [roundId, org.teamId],
      );
      expect(Object.fromEntries(rows.map((r) => [r.dimension, r.n]))).toEqual(EXPECTED_N);
      for (const row of rows) {
        const scores = personScores(row.dimension);
        expect(scores).toHaveLength(EXPECTED_N[row.dimension]);
        const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
        expect(Math.abs(row.mean - mean)).toBeLessThan(1e-9);
      }
      // The report says the same n through the API's gate.
      const { rows: respondents } = await t.db.query<{ respondents: number }>(
        `select respondents from team_round where round_id = $1 and unit_id = $2`,
        [roundId, org.teamId],
      );
      expect(respondents).toEqual([{ respondents: RESPONDENTS.length }]);
    });

    it('reads each item over whoever answered it, and rwg(j) over those item variances', async () => {
      const { rows } = await t.db.query<{ itemKey: string; n: number; variance: number | null }>(
        `select item_key as "itemKey", n, variance from item_result where round_id = $1 and unit_id = $2`,
        [roundId, org.teamId],
      );
      const byKey = new Map(rows.map((r) => [r.itemKey, r]));
      expect(byKey.get('dr1')?.n).toBe(3);
      expect(byKey.get('dr3')?.n).toBe(4);
      expect(byKey.get('ps1')?.n).toBe(3);
      expect(byKey.get('pc1')?.n).toBe(5);
      expect(byKey.get('dr2')?.n).toBe(3);
      // Alignment: one person skipped al1 and so answered part of the dimension. Its item sums and
      // its mean (over 5 people) would differ by that person alone — their answers could be
      // solved for — so its items are kept back. Decision rights and psychological safety each
      // have k = 3 partial answerers, over-control none (one person skipped all of it).
      const alignment = itemKeys.filter((k) => DIMENSION_OF.get(k) === 'alignment');
      expect(alignment.filter((k) => byKey.has(k))).toEqual([]);
      const stored = itemKeys.filter((k) => DIMENSION_OF.get(k) !== 'alignment');
      expect(rows).toHaveLength(stored.length);
      for (const key of stored) {
        const answered = asAnswered.filter((a) => a.has(key)).map((a) => a.get(key)!);
        expect(byKey.get(key)!.n).toBe(answered.length);
        expect(Math.abs(byKey.get(key)!.variance! - sampleVariance(answered)!)).toBeLessThan(1e-9);
      }
      const { rows: teams } = await t.db.query<{ rwgJ: number }>(
        `select rwg_j as "rwgJ" from unit_result
          where round_id = $1 and unit_id = $2 and dimension = 'decision_rights' and not rollup`,
        [roundId, org.teamId],
      );
      const variances = ['dr1', 'dr2', 'dr3', 'dr4'].map((k) =>
        sampleVariance(asAnswered.filter((a) => a.has(k)).map((a) => a.get(k)!)),
      );
      expect(Math.abs(teams[0].rwgJ - rwgJ(variances, 5)!)).toBeLessThan(1e-9);
    });

    it('computes alpha from pairwise-complete covariances, as psych::alpha does by default', async () => {
      const { rows } = await t.db.query<{ dimension: string; alpha: number | null }>(
        `select dimension, alpha from organisation_result where round_id = $1 order by dimension`,
        [roundId],
      );
      expect(rows.map((r) => r.dimension).sort()).toEqual(Object.keys(EXPECTED_N).sort());
      for (const { dimension, alpha } of rows) {
        const keys = itemKeys.filter((k) => DIMENSION_OF.get(k) === dimension);
        let trace = 0;
        let sum = 0;
        for (const a of keys)
          for (const b of keys) {
            const c = pairwiseCovariance(scored, a, b)!;
            sum += c;
            if (a === b) trace += c;
          }
        const expected = (keys.length / (keys.length - 1)) * (1 - trace / sum);
        expect(Number.isFinite(expected)).toBe(true);
        expect(Math.abs(alpha! - expected)).toBeLessThan(1e-9);
      }
      // Where somebody skipped, pairwise and listwise differ: the test would see a listwise alpha.
      const keys = itemKeys.filter((k) => DIMENSION_OF.get(k) === 'decision_rights');
      const complete = scored.filter((r) => keys.every((k) => r.has(k)));
      const totals = complete.map((r) => keys.reduce((s, k) => s + r.get(k)!, 0));
      const listwise =
        (keys.length / (keys.length - 1)) *
        (1 -
          keys.reduce((s, k) => s + sampleVariance(complete.map((r) => r.get(k)!))!, 0) /
            sampleVariance(totals)!);
      const pairwise = rows.find((r) => r.dimension === 'decision_rights')!.alpha!;
      expect(Math.abs(pairwise - listwise)).toBeGreaterThan(1e-6);
    });
  });
});
