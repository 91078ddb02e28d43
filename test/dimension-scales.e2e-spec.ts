import type { INestApplicationContext } from '@nestjs/common';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';
import { startWorker } from './support/worker';

/**
 * A scale per dimension (domain.md §1–2): a 0..4 hostility dimension and a 1..3 pace dimension
 * beside a 1..5 focus dimension in one instrument. Five people's answers go in through the
 * history import and the real aggregation job; every number is checked against values worked
 * out by hand below, each on its own dimension's scale: reverse keying lo + hi − x, the 0–100
 * score (mean − lo) / (hi − lo), favourable ≥ hi − 1 and unfavourable ≤ lo + 1 (strictly past
 * the midpoint on a three-option scale), rwg's null
 * variance (A² − 1) / 12 with A = hi − lo + 1, and the item distributions from lo to hi.
 */
describe('a scale per dimension, aggregated', () => {
  let t: TestApp;
  let org: OrgFixture;
  let worker: INestApplicationContext;
  let hr: string;
  let instrumentId: string;
  let roundId: string;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  const INSTRUMENT = {
    key: 'mixed-scales',
    name: 'Mixed scales',
    description: 'Three dimensions on three scales',
    scale: { min: 1, max: 5 },
    dimensions: [
      { key: 'focus', name: 'Focus', description: 'On the instrument’s 1..5' },
      {
        key: 'hostility',
        name: 'Hostility',
        description: 'Counted 0..4',
        scale: { min: 0, max: 4, labels: ['Never', 'Once', 'A few times', 'Often', 'Always'] },
      },
      { key: 'pace', name: 'Pace', description: 'On 1..3', scale: { min: 1, max: 3 } },
    ],
    items: [
      { key: 'f1', dimension: 'focus', text: 'I can focus.' },
      { key: 'f2', dimension: 'focus', text: 'I am interrupted.', reverse: true },
      { key: 'h1', dimension: 'hostility', text: 'I was shouted at.' },
      { key: 'h2', dimension: 'hostility', text: 'I was treated with respect.', reverse: true },
      { key: 'q1', dimension: 'pace', text: 'The pace is sustainable.' },
      { key: 'q2', dimension: 'pace', text: 'I have time to think.' },
    ],
  };

  // Five people of one team: f1 f2 h1 h2 q1 q2.
  const ANSWERS = [
    [5, 1, 0, 4, 3, 3],
    [4, 2, 1, 3, 2, 3],
    [4, 1, 0, 4, 3, 2],
    [3, 3, 2, 2, 1, 2],
    [5, 2, 1, 4, 3, 3],
  ];
  const csv = (rows: (number | string)[][]) =>
    ['team,f1,f2,h1,h2,q1,q2', ...rows.map((r) => ['crew', ...r].join(','))].join('\n');
  const importCsv = (body: string, period: string) =>
    t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query({ instrumentId, periodStart: `${period}-01`, periodEnd: `${period}-28` })
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(body);

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SCHEDULER_TICK_MS: '500', SMTP_URL: mailbox.url });
    org = await createOrg(t.app, 'scales');
    worker = await startWorker();
    hr = await signIn(t.http, org.hr.email);
    const roster = ['email,name,team_key,team_name,department,role'];
    for (let i = 1; i <= 5; i++) roster.push(`p${i}@scales.test,P${i},crew,Crew,Ops,member`);
    const imported = await t.http
      .post(`/organisations/${org.orgId}/roster-imports`)
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(roster.join('\n'));
    expect(imported.status).toBe(200);
    const instrument = await t.http
      .post(`/organisations/${org.orgId}/instruments`)
      .set('authorization', `Bearer ${hr}`)
      .send(INSTRUMENT);
    expect(instrument.status).toBe(201);
    instrumentId = instrument.body.id as string;
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  it('keeps each dimension’s own scale in the stored definition', async () => {
    const res = await t.http
      .get(`/instruments/${instrumentId}`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    const dims = res.body.versions[0].definition.dimensions as { key: string; scale?: object }[];
    expect(dims.map((d) => [d.key, d.scale ?? null])).toEqual([
      ['focus', null],
      ['hostility', INSTRUMENT.dimensions[1].scale],
      ['pace', { min: 1, max: 3 }],
    ]);
  });

  it('refuses answers outside an item’s own dimension scale, naming the cell', async () => {
    // 0 is an answer on hostility's 0..4, not on focus's 1..5; 4 is beyond pace's 1..3.
    const res = await importCsv(csv([[0, 1, 0, 4, 4, 3]]), '2026-01');
    expect(res.status).toBe(400);
    const problems = JSON.stringify(res.body);
    expect(problems).toContain('is not a whole number from 1 to 5');
    expect(problems).toContain('is not a whole number from 1 to 3');
    expect(problems).not.toContain('from 0 to 4');
  });

  it('aggregates each dimension on its own scale, as worked out by hand', async () => {
    const res = await importCsv(csv(ANSWERS), '2026-02');
    expect(res.status).toBe(201);
    roundId = res.body.roundId as string;
    await until(
      'aggregation',
      async () =>
        (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
          .aggregated_at,
    );
    const rows = (
      await t.db.query<Record<string, number | string>>(
        `select dimension, n, mean, sd, score, favourable, unfavourable, rwg_j
           from unit_result where round_id = $1 and not rollup and unit_id =
             (select id from unit where organisation_id = $2 and key = 'crew')
          order by dimension`,
        [roundId, org.orgId],
      )
    ).rows;
    const by = Object.fromEntries(rows.map((r) => [r.dimension, r]));
    const close = (actual: unknown, expected: number) =>
      expect(Math.abs(Number(actual) - expected)).toBeLessThan(1e-9);

    // Focus, 1..5, f2 reversed as 6 − x: people 5, 4, 4.5, 3, 4.5.
    expect(by.focus.n).toBe(5);
    close(by.focus.mean, 4.2);
    close(by.focus.sd, Math.sqrt(2.3 / 4));
    close(by.focus.score, 80); // (4.2 − 1) / 4
    close(by.focus.favourable, 0.8); // ≥ 4
    close(by.focus.unfavourable, 0); // ≤ 2
    // Item variances 0.7 and 0.7; σ²EU = (25 − 1) / 12 = 2; rwg(j) = 2(1 − .35) / (… + .35).
    close(by.focus.rwg_j, 1.3 / 1.65);

    // Hostility, 0..4, h2 reversed as 4 − x: people 0, 1, 0, 2, 0.5.
    close(by.hostility.mean, 0.7);
    close(by.hostility.score, 17.5); // (0.7 − 0) / 4
    close(by.hostility.favourable, 0); // ≥ 3
    close(by.hostility.unfavourable, 0.8); // ≤ 1
    // Item variances 0.7 and 0.8; A = 5 as on 1..5, σ²EU = 2.
    close(by.hostility.rwg_j, 1.25 / 1.625);

    // Pace, 1..3: people 3, 2.5, 2.5, 1.5, 3.
    close(by.pace.mean, 2.5);
    close(by.pace.score, 75); // (2.5 − 1) / 2
    // Three options: hi − 1 and lo + 1 meet at 2, so the sides are strictly above and below it.
    close(by.pace.favourable, 0.8); // > 2
    close(by.pace.unfavourable, 0.2); // < 2: only 1.5
    // Item variances 0.8 and 0.3; A = 3, σ²EU = (9 − 1) / 12 = 2/3; ratio .55 / (2/3) = .825.
    close(by.pace.rwg_j, 0.35 / 1.175);

    const items = Object.fromEntries(
      (
        await t.db.query<{ item_key: string; rwg: number; distribution: number[] }>(
          `select item_key, rwg, distribution from item_result where round_id = $1`,
          [roundId],
        )
      ).rows.map((r) => [r.item_key, r]),
    );
    // Distributions count from each item's own lowest option to its highest.
    expect(items.h1.distribution).toEqual([2, 2, 1, 0, 0]); // 0..4
    expect(items.h2.distribution).toEqual([0, 0, 1, 1, 3]);
    expect(items.f1.distribution).toEqual([0, 0, 1, 2, 2]); // 1..5
    expect(items.q1.distribution).toEqual([1, 1, 3]); // 1..3
    close(items.h2.rwg, 1 - 0.8 / 2);
    close(items.q2.rwg, 1 - 0.3 / (8 / 12));
    close(items.q1.rwg, 0); // 1 − 0.8 / (2/3) < 0: no agreement
  });

  it('asks each statement on its dimension’s scale, and takes answers on it', async () => {
    await openRoundNow(t.app, org, { instrumentId, form: 'full', teamIds: [org.teamId] });
    const link = await until('the invitation', () =>
      Promise.resolve(mailbox.linksFor(org.member.email).find((l) => l.includes('/r/'))),
    );
    const token = tokenOf(link);
    const form = await t.http.get(`/pulse/${token}`);
    expect(form.status).toBe(200);
    const scales = Object.fromEntries(
      (form.body.items as { key: string; scale: { min: number; max: number } }[]).map((i) => [
        i.key,
        [i.scale.min, i.scale.max],
      ]),
    );
    expect(scales).toEqual({
      f1: [1, 5],
      f2: [1, 5],
      h1: [0, 4],
      h2: [0, 4],
      q1: [1, 3],
      q2: [1, 3],
    });
    // The answering page offers each statement its own options, with its dimension's labels.
    const page = await t.http.get(`/r/${token}`);
    expect(page.status).toBe(200);
    const values = (key: string) =>
      [...page.text.matchAll(new RegExp(`name="answers\\[${key}\\]" value="(-?\\d+)"`, 'g'))].map(
        (m) => Number(m[1]),
      );
    expect(values('h1')).toEqual([0, 1, 2, 3, 4]);
    expect(values('f1')).toEqual([1, 2, 3, 4, 5]);
    expect(values('q2')).toEqual([1, 2, 3]);
    expect(page.text).toContain('A few times');

    const refused = await t.http
      .post(`/pulse/${token}`)
      .send({ answers: { f1: 0, f2: 1, h1: 0, h2: 4, q1: 3, q2: 4 } });
    expect(refused.status).toBe(400);
    expect(
      (refused.body.errors as { field: string; message: string }[]).map((e) => e.field).sort(),
    ).toEqual(['answers.f1', 'answers.q2']);
    const taken = await t.http
      .post(`/pulse/${token}`)
      .send({ answers: { f1: 1, f2: 1, h1: 0, h2: 4, q1: 3, q2: 1 } });
    expect(taken.status).toBe(201);
  });

  it('reports each dimension with its scale, and the page labels its answers with it', async () => {
    const crew = (
      await t.db.query<{ id: string }>(
        `select id from unit where organisation_id = $1 and key = 'crew'`,
        [org.orgId],
      )
    ).rows[0].id;
    const report = await t.http.get(`/units/${crew}/report`).set('authorization', `Bearer ${hr}`);
    expect(report.status).toBe(200);
    expect(report.body.scale).toEqual({ min: 1, max: 5 });
    expect(report.body.dimensionScales).toEqual([
      { dimension: 'focus', scale: { min: 1, max: 5 } },
      { dimension: 'hostility', scale: INSTRUMENT.dimensions[1].scale },
      { dimension: 'pace', scale: { min: 1, max: 3 } },
    ]);
    const page = await t.http
      .get(`/app/units/${crew}/report`)
      .set('cookie', `trellis_session=${hr}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Hostility on 0 to 4');
    // Hostility's answers table is headed by its own labels, pace's by 1 to 3.
    expect(page.text).toMatch(/Hostility: people per answer[\s\S]*?Never[\s\S]*?Always/);
    // Pace's middle answer is neutral: strictly past the midpoint is a side of a 1..3 scale.
    expect(page.text).toMatch(
      /I have time to think\.<\/th><td class="num tone-unfavourable"[^>]*>0<span[^>]*> \(unfavourable\)<\/span><\/td><td class="num tone-neutral"/,
    );
    expect(page.text).toMatch(
      /Pace: people per answer[^<]*<\/caption><thead><tr><th scope="col">Statement<\/th><th scope="col" class="num">1<\/th><th scope="col" class="num">2<\/th><th scope="col" class="num">3<\/th><th scope="col" class="num">Mean/,
    );
  });
});
