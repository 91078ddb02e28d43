import type { INestApplicationContext } from '@nestjs/common';
import { AggregationService } from '@trellis/aggregation';
import { PeopleService } from '@trellis/organisation';
import { RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { startMailbox, tokenOf } from '../support/mailbox';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';
import { until } from '../support/until';
import { startWorker } from '../support/worker';

/**
 * A person in two teams answers in both, and their common parent must count them once: k is
 * about people, not answers. Platform gets 3 answers and Sales 2, one person answering in both,
 * so the organisation holds 5 answers from 4 people — below k = 5, whatever the answer count.
 */
describe('a person in two teams counts once where the teams meet', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let org: OrgFixture;
  let roundId: string;

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({ SMTP_URL: mailbox.url, SCHEDULER_TICK_MS: '500' });
    worker = await startWorker();
    org = await createOrg(t.app, 'twoteams');
    const people = t.app.get(PeopleService);
    const member = async (email: string, teams: string[]) => {
      const p = await people.create(org.orgId, { email, name: email });
      for (const team of teams) await people.addMembership(team, p.id, 'member');
      return email;
    };
    const both = await member('both@twoteams.test', [org.teamId, org.otherTeamId]);
    const platform = [
      await member('p1@twoteams.test', [org.teamId]),
      await member('p2@twoteams.test', [org.teamId]),
    ];
    const sales = [await member('s1@twoteams.test', [org.otherTeamId])];
    ({ roundId } = await openRoundNow(t.app, org, { leaderSelfView: false }));

    // Mails arrive one by one; wait for all five personal links (two for the person in both).
    const links = await until('the invitation links', async () => {
      const all = [both, ...platform, ...sales].flatMap((e) => mailbox.linksFor(e));
      return all.length === 5 ? all : null;
    });
    expect(mailbox.linksFor(both)).toHaveLength(2);
    for (const link of links) {
      const token = tokenOf(link);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, 4]),
      );
      expect((await t.http.post(`/pulse/${token}`).send({ answers })).status).toBe(201);
    }
    expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
    await worker.get(AggregationService).aggregate(roundId);
  }, 120_000);

  afterAll(async () => {
    await worker.close();
    await t.close();
    await mailbox.close();
  });

  it('the organisation holds 4 people, not 5 answers, and is not shown', async () => {
    const hr = await signIn(t.http, org.hr.email);
    const res = await t.http
      .get(`/units/${org.rootId}/report`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    // The rate is on one basis, answers over invitations, both counted per team: the person in
    // both teams is one of 4 people but two of 5 answers and two of the invitations.
    const invited = await t.db.query<{ n: number }>(
      `select sum(invited)::int as n from round_team where round_id = $1`,
      [roundId],
    );
    expect(res.body.latest).toEqual({
      round: expect.objectContaining({ id: roundId }),
      respondents: 4,
      responseRate: 5 / invited.rows[0].n,
      shown: false,
      message: 'not enough responses to show (fewer than 5)',
    });
    const stored = await t.db.query(
      `select count(*)::int as n from unit_result where round_id = $1`,
      [roundId],
    );
    expect(stored.rows[0].n).toBe(0);
    // The answers themselves are all there: 3 for Platform, 2 for Sales.
    const answers = await t.db.query(
      `select unit_id, count(*)::int as n from response where round_id = $1 group by unit_id`,
      [roundId],
    );
    expect(
      new Map(answers.rows.map((r: { unit_id: string; n: number }) => [r.unit_id, r.n])),
    ).toEqual(
      new Map([
        [org.teamId, 3],
        [org.otherTeamId, 2],
      ]),
    );
  });
});
