import { Test, type TestingModule } from '@nestjs/testing';
import { ConfigModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { DEMO_PASSWORD, DEMO_TEAMS, DemoModule, DemoService, leaderEmail } from '@trellis/demo';
import { RedisModule } from '@trellis/redis';
import { DataSource } from 'typeorm';
import { RoundsService } from '@trellis/surveys';
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
});
