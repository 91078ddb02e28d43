import { Test } from '@nestjs/testing';
import { ConfigModule } from '@trellis/config';
import { DatabaseModule } from '@trellis/database';
import { DEMO_PASSWORD, DEMO_TEAMS, DemoModule, DemoService, leaderEmail } from '@trellis/demo';
import { RedisModule } from '@trellis/redis';
import { signIn } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const tables = ['organisation', 'unit', 'person', 'membership', 'organisation_role'];

describe('the demo organisation', () => {
  let t: TestApp;
  let demo: DemoService;
  let close: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestApp();
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, RedisModule, DemoModule],
    }).compile();
    await moduleRef.init();
    demo = moduleRef.get(DemoService);
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
});
