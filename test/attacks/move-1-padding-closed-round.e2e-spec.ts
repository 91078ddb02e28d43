import { RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { historyCsv, historyRows } from '../support/history';
import { answersFor, mintLinks } from '../support/links';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Red-team move 1: a closed pulse round's team had one respondent and was hidden; HR imported
 * five invented rows for that team into the round (`?roundId=`), the team was shown with n = 6,
 * and subtracting the five known rows gave the real person's answers. A late import now goes
 * only into imported rounds, and only when every team it touches gains at least k people.
 */
describe('attack move 1: padding a closed round with a late import', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'move1');
    hr = await signIn(t.http, org.hr.email);
  }, 60_000);

  afterAll(() => t.close());

  const stored = async () =>
    (
      await t.db.query<{ responses: number; pool: number; teams: number }>(
        `select (select count(*)::int from response) as responses,
                (select count(*)::int from response_pool) as pool,
                (select count(*)::int from round_team) as teams`,
      )
    ).rows[0];

  function importInto(csv: string, query: Record<string, string>) {
    return t.http
      .post(`/organisations/${org.orgId}/history-imports`)
      .query(query)
      .set('authorization', `Bearer ${hr}`)
      .type('text/csv')
      .send(csv);
  }

  it('refuses five invented rows into a closed pulse round, writing nothing', async () => {
    const { roundId } = await openRoundNow(t.app, org, { leaderSelfView: false });
    const [mine] = (await mintLinks(t.db, roundId)).filter(
      (l) => l.unitId === org.teamId && l.kind === 'member',
    );
    const form = await t.http.get(`/pulse/${mine.token}`);
    expect(
      (await t.http.post(`/pulse/${mine.token}`).send({ answers: answersFor(form.body.items, 2) }))
        .status,
    ).toBe(201);
    expect(await t.app.get(RoundsService).close(roundId)).toBe(true);

    const before = await stored();
    const res = await importInto(historyCsv(historyRows('platform', 5, 'healthy')), { roundId });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        field: 'roundId',
        message: expect.stringMatching(/imported round/),
      }),
    ]);
    expect(await stored()).toEqual(before);
  }, 60_000);

  it('into an imported round, refuses a file in which any team gains fewer than k, naming the teams', async () => {
    const first = await importInto(
      historyCsv([...historyRows('platform', 5, 'healthy'), ...historyRows('sales', 5, 'healthy')]),
      { periodStart: '2025-03-03', periodEnd: '2025-03-14' },
    );
    expect(first.status).toBe(201);
    const roundId = first.body.roundId as string;

    // Six rows in all (the old rule counted the file), but Sales gains only one person.
    const before = await stored();
    const padded = await importInto(
      historyCsv([...historyRows('platform', 5, 'healthy'), ...historyRows('sales', 1, 'healthy')]),
      { roundId },
    );
    expect(padded.status).toBe(400);
    expect(padded.body.errors).toEqual([
      expect.objectContaining({ field: 'file', message: expect.stringContaining('sales') }),
    ]);
    expect(padded.body.errors[0].message).not.toContain('platform');
    expect(await stored()).toEqual(before);

    const enough = await importInto(
      historyCsv([...historyRows('platform', 5, 'healthy'), ...historyRows('sales', 5, 'healthy')]),
      { roundId },
    );
    expect(enough.status).toBe(201);
    expect((await stored()).responses).toBe(before.responses + 10);
  }, 60_000);
});
