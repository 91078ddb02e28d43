import { RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from '../support/fixtures';
import { addMembers, answersFor, mintLinks, setMinGroupSize, type Link } from '../support/links';
import { openRoundNow } from '../support/surveys';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Red-team move 8: polling `GET /rounds/{id}` during an open round showed 0 → 1 answered the
 * moment one person answered, which says when they did. While a round is open its counts move
 * only in whole steps of k per team, for every viewer including HR; after close they are exact.
 */
describe('attack move 8: live participation counts', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;
  let leader: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await createOrg(t.app, 'move8');
    await addMembers(t.app, org.orgId, org.teamId, 10, 'm8');
    hr = await signIn(t.http, org.hr.email);
    leader = await signIn(t.http, org.leader.email);
  }, 60_000);

  afterAll(() => t.close());

  async function platform(token: string, roundId: string) {
    const res = await t.http.get(`/rounds/${roundId}`).set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const team = (
      res.body.teams as { unitId: string; answered: number; responseRate: number }[]
    ).find((x) => x.unitId === org.teamId);
    return { answered: team!.answered, responseRate: team!.responseRate };
  }

  async function answer(link: Link): Promise<void> {
    const form = await t.http.get(`/pulse/${link.token}`);
    const res = await t.http
      .post(`/pulse/${link.token}`)
      .send({ answers: answersFor(form.body.items) });
    expect(res.status).toBe(201);
  }

  it.each([5, 3])(
    'with k = %i, HR and the leader see counts in steps of k until the round closes',
    async (k) => {
      await setMinGroupSize(t.db, org.orgId, k);
      const { roundId } = await openRoundNow(t.app, org, {
        name: `k${k}`,
        leaderSelfView: false,
        teamIds: [org.teamId],
      });
      const links = (await mintLinks(t.db, roundId)).filter(
        (l) => l.unitId === org.teamId && l.kind === 'member',
      );
      const invited = links.length;
      expect(invited).toBeGreaterThanOrEqual(2 * k + 1);

      const seen: number[] = [];
      for (let i = 0; i < 2 * k + 1; i++) {
        await answer(links[i]);
        const asHr = await platform(hr, roundId);
        const asLeader = await platform(leader, roundId);
        expect(asLeader).toEqual(asHr);
        seen.push(asHr.answered);
        // The rate is the floored count's, so it cannot be turned back into the exact count.
        expect(asHr.responseRate).toBe(asHr.answered / invited);
      }
      const step = (n: number) => Math.floor(n / k) * k;
      expect(seen).toEqual(Array.from({ length: 2 * k + 1 }, (_, i) => step(i + 1)));

      await t.app.get(RoundsService).close(roundId);
      expect(await platform(hr, roundId)).toEqual({
        answered: 2 * k + 1,
        responseRate: (2 * k + 1) / invited,
      });
    },
    60_000,
  );
});
