import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { DEMO_PASSWORD, DEMO_TEAMS, DemoModule, DemoService, leaderEmail } from '@trellis/demo';
import { RedisModule } from '@trellis/redis';
import { DataSource } from 'typeorm';
import { CommentsService, ConversationsService } from '@trellis/reporting';
import { HistoryImportService, RoundsService } from '@trellis/surveys';
import { voiceTexts } from '@trellis/synthetic';
import { signIn } from './support/fixtures';
import { tokenOf } from './support/mailbox';
import { createTestApp, type TestApp } from './support/test-app';

const tables = ['organisation', 'unit', 'person', 'membership', 'organisation_role'];

describe('the demo organisation', () => {
  let t: TestApp;
  let demo: DemoService;
  let close: () => Promise<void>;
  let app: () => TestingModule;

  beforeAll(async () => {
    t = await createTestApp();
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, RedisModule, DemoModule],
    }).compile();
    await moduleRef.init();
    demo = moduleRef.get(DemoService);
    app = () => moduleRef;
    close = () => moduleRef.close();
  });
  afterAll(async () => {
    await close();
    await t.close();
  });

  async function snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of tables) {
      const rows = await t.db.query(`select * from ${table} order by id`);
      out[table] = JSON.stringify(rows.rows);
    }
    return out;
  }

  it('is created once; seeding again changes nothing', async () => {
    await demo.seed();
    const first = await snapshot();
    const people = await t.db.query<{ n: number }>('select count(*)::int as n from person');
    expect(people.rows[0].n).toBe(DEMO_TEAMS.reduce((sum, team) => sum + team.size + 1, 0) + 2);
    await demo.seed();
    expect(await snapshot()).toEqual(first);
  });

  it('lets a leader sign in and see only their own team', async () => {
    const token = await signIn(t.http, leaderEmail('platform'), DEMO_PASSWORD);
    const me = await t.http.get('/auth/me').set('authorization', `Bearer ${token}`);
    const units = await t.http
      .get(`/organisations/${me.body.organisationId}/units`)
      .set('authorization', `Bearer ${token}`);
    expect(units.status).toBe(200);
    expect(units.body.map((u: { key: string }) => u.key)).toEqual(['platform']);
  });

  it('lets HR sign in and see the whole organisation', async () => {
    const token = await signIn(t.http, 'hr@demo.trellis.test', DEMO_PASSWORD);
    const me = await t.http.get('/auth/me').set('authorization', `Bearer ${token}`);
    expect(me.body.roles).toEqual(['hr']);
    const units = await t.http
      .get(`/organisations/${me.body.organisationId}/units`)
      .set('authorization', `Bearer ${token}`);
    const teams = units.body
      .filter((u: { kind: string }) => u.kind === 'team')
      .map((u: { key: string }) => u.key);
    expect(teams.sort()).toEqual(DEMO_TEAMS.map((team) => team.key).sort());
  });

  describe('has a round open whenever it is started', () => {
    let organisationId: string;
    const DAY = 86_400_000;

    beforeAll(async () => {
      organisationId = (await demo.seed()).organisationId;
    });

    /** An answer link works: its form opens. */
    async function expectWorks(url: string): Promise<void> {
      expect(url).toMatch(/^http:\/\/localhost:3000\/r\/p_[A-Za-z0-9_-]{43}$/);
      const res = await t.http.get(`/pulse/${tokenOf(url)}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ audience: 'member', teamName: 'Platform' });
    }

    it('opens this week’s round itself (no worker needed) and gives fresh answer links', async () => {
      const round = await demo.openRound(organisationId);
      expect(round).toMatchObject({ campaignName: 'Weekly team pulse', timezone: 'Europe/London' });
      expect(round!.closesAt.getTime()).toBeGreaterThan(Date.now());
      expect(round!.links).toHaveLength(3);
      for (const link of round!.links) await expectWorks(link.url);
      // Started again: still one open round, new links into it.
      const again = await demo.openRound(organisationId);
      expect(again!.closesAt).toEqual(round!.closesAt);
      expect(again!.links.map((l) => l.url)).not.toEqual(round!.links.map((l) => l.url));
      const open = await t.db.query(
        `select 1 from round where organisation_id = $1 and status = 'open'`,
        [organisationId],
      );
      expect(open.rows).toHaveLength(1);
    });

    it('after someone closed this week’s round early, the next start opens one again', async () => {
      const { rows } = await t.db.query<{ id: string }>(
        `select id from round where organisation_id = $1 and status = 'open'`,
        [organisationId],
      );
      const rounds = app().get(RoundsService);
      await t.app.get(DataSource).transaction((tx) => rounds.requestClose(tx, rows[0].id));
      expect(await rounds.close(rows[0].id)).toBe(true);
      const round = await demo.openRound(organisationId);
      expect(round!.campaignName).toMatch(/^Weekly team pulse \(from \d{4}-\d{2}-\d{2}\)$/);
      expect(round!.closesAt.getTime()).toBeGreaterThan(Date.now());
      for (const link of round!.links) await expectWorks(link.url);
      const campaigns = await t.db.query<{ name: string; active: boolean }>(
        `select name, active from campaign where organisation_id = $1 order by created_at`,
        [organisationId],
      );
      // One demo pulse runs on; the one whose round was closed is paused.
      expect(campaigns.rows.map((c) => c.active)).toEqual([false, true]);
    });

    it('started again ten days later, the round of that week is open', async () => {
      const later = new Date(Date.now() + 10 * DAY);
      const round = await demo.openRound(organisationId, later);
      expect(round!.closesAt.getTime()).toBeGreaterThan(later.getTime());
      expect(round!.closesAt.getTime()).toBeLessThanOrEqual(later.getTime() + 7 * DAY);
      expect(round!.links).toHaveLength(3);
    });
  });

  describe('has comments on its history, read where the anonymity rules put them', () => {
    let organisationId: string;
    let roundId: string;
    let hr: string;
    const unitId: Record<string, string> = {};
    const texts = (body: { comments: { text: string }[] }) => body.comments.map((c) => c.text);

    beforeAll(async () => {
      organisationId = (await demo.seed()).organisationId;
      const { rows } = await t.db.query<{ id: string }>(
        `select id from round where organisation_id = $1 and source = 'import' order by period_end desc limit 1`,
        [organisationId],
      );
      roundId = rows[0].id;
      const units = await t.db.query<{ id: string; key: string; name: string }>(
        `select id, key, name from unit where organisation_id = $1`,
        [organisationId],
      );
      for (const u of units.rows) unitId[u.key] = u.id;
      for (const u of units.rows) unitId[u.name] = u.id;
      hr = await signIn(t.http, 'hr@demo.trellis.test', DEMO_PASSWORD);
    });

    const read = (token: string, unit: string) =>
      t.http
        .get(`/units/${unitId[unit]}/comments?round=${roundId}`)
        .set('authorization', `Bearer ${token}`);

    it('stores them as sealed rows of the imported rounds, one per person who commented', async () => {
      const { rows } = await t.db.query<{ n: number; rounds: number }>(
        `select count(*)::int as n, count(distinct c.round_id)::int as rounds
           from comment c join round r on r.id = c.round_id
          where c.organisation_id = $1 and r.source = 'import'`,
        [organisationId],
      );
      expect(rows[0].rounds).toBe(8);
      // Product and Infrastructure clear ten people each, Sales nine or more, every round.
      expect(rows[0].n).toBeGreaterThanOrEqual(8 * 30);
      const sample = await t.db.query<{ sealed: Buffer }>(
        `select sealed from comment where round_id = $1`,
        [roundId],
      );
      const said = (['micromanaged', 'abandoned', 'aligned_autonomy', 'adrift', 'split'] as const)
        .flatMap((a) => [...voiceTexts(a)])
        .map((text) => text.slice(0, 16));
      for (const { sealed } of sample.rows)
        for (const text of said) expect(sealed.toString('utf8')).not.toContain(text);
    });

    it('shows a team its own comments in its archetype’s voice (Sales EMEA, abandoned)', async () => {
      const leader = await signIn(t.http, leaderEmail('sales-emea'), DEMO_PASSWORD);
      const res = await read(leader, 'sales-emea');
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('shown');
      expect(res.body.authors).toBeGreaterThanOrEqual(res.body.minCommentGroup);
      const abandoned = voiceTexts('abandoned');
      expect(texts(res.body).length).toBeGreaterThanOrEqual(res.body.authors);
      for (const text of texts(res.body)) expect(abandoned.has(text)).toBe(true);
      expect(
        res.body.themes.find((th: { key: string }) => th.key === 'leader_support')?.count,
      ).toBeGreaterThan(0);
    });

    it('lifts a small team’s comments to its department: Checkout’s micromanaged voice is read at Product', async () => {
      const leader = await signIn(t.http, leaderEmail('checkout'), DEMO_PASSWORD);
      const own = await read(leader, 'checkout');
      expect(own.status).toBe(200);
      expect(own.body.status).toBe('none');
      const product = await read(hr, 'Product');
      expect(product.body.status).toBe('shown');
      expect(product.body.authors).toBeGreaterThanOrEqual(product.body.minCommentGroup);
      const voices = ['micromanaged', 'split', 'adrift'].map((a) =>
        voiceTexts(a as 'micromanaged'),
      );
      for (const text of texts(product.body)) expect(voices.some((v) => v.has(text))).toBe(true);
      const micromanaged = texts(product.body).filter((text) => voices[0].has(text));
      expect(micromanaged.length).toBeGreaterThan(0);
      const { rows } = await t.db.query<{ shown_at: string }>(
        `select shown_at from comment_placement where round_id = $1 and unit_id = $2`,
        [roundId, unitId.checkout],
      );
      expect(rows).toEqual([{ shown_at: unitId.Product }]);
    });

    it('lists the pools for HR through the comments service: a team and two departments, never the whole organisation', async () => {
      const view = await t.app
        .get(CommentsService)
        .organisationComments(organisationId, { round: roundId });
      expect(view.status).toBe('shown');
      expect(view.pools.map((p) => p.unitId).sort()).toEqual(
        [unitId['sales-emea'], unitId.Product, unitId.Infrastructure].sort(),
      );
      for (const pool of view.pools) expect(pool.authors).toBeGreaterThanOrEqual(10);
    });

    it('has one conversation on a Sales EMEA comment: the leader replied, the author answered back, once', async () => {
      const replies = () =>
        t.db.query<{ n: number }>(
          `select count(*)::int as n from comment_reply where organisation_id = $1`,
          [organisationId],
        );
      expect((await replies()).rows).toEqual([{ n: 2 }]);
      const leader = await signIn(t.http, leaderEmail('sales-emea'), DEMO_PASSWORD);
      const res = await read(leader, 'sales-emea');
      expect(res.status).toBe(200);
      const talked = res.body.comments.filter((c: { replies: unknown[] }) => c.replies.length > 0);
      expect(talked).toHaveLength(1);
      expect(talked[0].replies.map((r: { by: string }) => r.by)).toEqual(['leader', 'author']);
      const view = await t.app
        .get(CommentsService)
        .unitComments(unitId['sales-emea'], { round: roundId });
      expect(view.status === 'shown' && view.comments.find((c) => c.id === talked[0].id)).toEqual(
        talked[0],
      );

      // Seeding again adds nothing and gives the same author link, which opens that conversation.
      const { conversation } = await demo.seed();
      expect((await replies()).rows).toEqual([{ n: 2 }]);
      expect(conversation).toMatch(/^trl_c_[A-Za-z0-9_-]{43}$/);
      const author = await t.app.get(ConversationsService).authorView(conversation!);
      const mine = author.comments.find((c) => c.id === talked[0].id);
      expect(mine?.readAt).toBe('Sales EMEA');
      expect(mine?.replies.map((r) => r.label)).toEqual(["your team's leader", 'you']);
      const page = await t.http.get(`/c/${conversation}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(talked[0].replies[1].text);
      const logged = await t.db.query<{ n: number }>(
        `select count(*)::int as n from audit_event where organisation_id = $1 and action = 'comment.reply'`,
        [organisationId],
      );
      expect(logged.rows).toEqual([{ n: 1 }]);
    });

    it('takes comments in a history import only as a list checked like a submission’s', async () => {
      const history = t.app.get(HistoryImportService);
      const csv = 'team,ps1\nplatform,4\nplatform,3\n';
      const period = { periodStart: '2025-01-06', periodEnd: '2025-01-12' };
      const before = await t.db.query(`select count(*)::int as n from round`);
      await expect(
        history.import(organisationId, csv, period, {
          comments: [{ comments: [{ dimension: 'no_such_theme', text: 'x' }] }, { comment: 7 }],
        }),
      ).rejects.toMatchObject({
        response: {
          errors: [{ field: 'comments.0.comments.0.dimension' }, { field: 'comments.1.comment' }],
        },
      });
      await expect(
        history.import(organisationId, csv, period, { comments: [null, null, { comment: 'a' }] }),
      ).rejects.toMatchObject({ response: { errors: [{ field: 'comments' }] } });
      await expect(
        history.import(organisationId, csv, period, {
          comments: [{ comment: 'a' }, null],
          conversations: ['trl_c_short', `trl_c_${'a'.repeat(43)}`],
        }),
      ).rejects.toMatchObject({
        response: { errors: [{ field: 'conversations.0' }, { field: 'conversations.1' }] },
      });
      expect((await t.db.query(`select count(*)::int as n from round`)).rows).toEqual(before.rows);
    });
  });
});
