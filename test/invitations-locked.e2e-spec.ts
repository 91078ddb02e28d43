import { Client } from 'pg';
import { PeopleService } from '@trellis/organisation';
import { CampaignsService, InvitationsService, RoundsService } from '@trellis/surveys';
import { createOrg, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { until } from './support/until';

/**
 * A teammate answering locks the whole team's invitations for a moment. An invite running at that
 * moment must still send every invitation of the round, not end early at the locked rows.
 */
describe('invitations while a team’s rows are locked', () => {
  let t: TestApp;
  let org: OrgFixture;
  let roundId: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'locked');
    // A larger round: forty more people in Platform, so the invite has work on both sides of the lock.
    const people = t.app.get(PeopleService);
    for (let i = 0; i < 40; i++) {
      const p = await people.create(org.orgId, { email: `p${i}@locked.test`, name: `P ${i}` });
      await people.addMembership(org.teamId, p.id, 'member');
    }
    const now = new Date();
    const opened = new Date(now.getTime() - 5 * 60_000);
    const campaign = await t.app.get(CampaignsService).create(org.orgId, org.hr.id, {
      name: 'Locked pulse',
      form: 'short',
      cadence: 'cron',
      cron: `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`,
      timezone: 'UTC',
      openDays: 0.9,
      reminderDays: [],
      leaderSelfView: true,
      startsOn: new Date(now.getTime() - 8 * 86_400_000).toISOString().slice(0, 10),
      teamIds: [org.teamId, org.otherTeamId],
    });
    const rounds = t.app.get(RoundsService);
    const open = (await rounds.dueWork(now)).open.find((o) => o.campaignId === campaign.id)!;
    roundId = (await rounds.open(campaign.id, open.opensAt, now))!;
  });

  afterAll(() => t.close());

  const unsent = async (unitId?: string) =>
    (
      await t.db.query<{ n: number }>(
        `select count(*)::int as n from invitation
          where round_id = $1 and sent_at is null and ($2::uuid is null or unit_id = $2)`,
        [roundId, unitId ?? null],
      )
    ).rows[0].n;

  it('sends every invitation, the locked team’s once its lock is released', async () => {
    const total = await unsent();
    const salesTotal = await unsent(org.otherTeamId);
    expect(total).toBeGreaterThan(40);
    expect(salesTotal).toBeGreaterThan(0);

    // What a pulse submission does to a team: its invitations held for update.
    const holder = new Client({ connectionString: process.env.DATABASE_URL });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(
        'select id from invitation where round_id = $1 and unit_id = $2 for update',
        [roundId, org.otherTeamId],
      );
      const invite = t.app.get(InvitationsService).invite(roundId);
      const outcome = invite.then(
        (sent) => ({ sent }),
        (error: unknown) => ({ error }),
      );
      // Everyone else has their invitation; only the locked team waits.
      await until(
        'every unlocked invitation to be sent',
        async () => (await unsent()) === salesTotal,
      );
      await holder.query('commit');
      expect(await outcome).toEqual({ sent: total });
    } finally {
      await holder.end();
    }
    expect(await unsent()).toBe(0);
    // Each invitation has exactly one link.
    const links = await t.db.query<{ n: number; people: number }>(
      `select count(*)::int as n, count(distinct i.id)::int as people
         from invitation_token it join invitation i on i.id = it.invitation_id where i.round_id = $1`,
      [roundId],
    );
    expect(links.rows[0]).toEqual({ n: total, people: total });
  });
});
