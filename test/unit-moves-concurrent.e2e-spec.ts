import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { createTestApp, type TestApp } from './support/test-app';

const ROUNDS = 25;

/**
 * Moving X below Y and Y below X at the same moment used to succeed twice: each request checked
 * for a cycle before the other's move was visible. The tree was then a loop, and every report,
 * heatmap, export and data API call of the organisation failed. Moves of one organisation are
 * now serialised, and the second of the two sees the first and is refused.
 */
describe('concurrent unit moves', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;

  beforeAll(async () => {
    t = await createTestApp({ REQUEST_LIMIT_PER_MINUTE: '100000' });
    org = await createOrg(t.app, 'moves');
    hr = await signIn(t.http, org.hr.email);
  });
  afterAll(() => t?.close());

  const department = async (key: string) => {
    const res = await t.http
      .post(`/organisations/${org.orgId}/units`)
      .set('authorization', `Bearer ${hr}`)
      .send({ name: key, key, kind: 'department' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const move = (unitId: string, parentId: string) =>
    t.http.patch(`/units/${unitId}`).set('authorization', `Bearer ${hr}`).send({ parentId });
  /** Units of the organisation from which the root cannot be reached: members of a loop. */
  const cut = async () =>
    (
      await t.db.query(
        `with recursive reach as (select id from unit where organisation_id = $1 and parent_id is null
           union select u.id from unit u join reach r on u.parent_id = r.id)
         select id from unit where organisation_id = $1 and id not in (select id from reach)`,
        [org.orgId],
      )
    ).rows;

  it(`X below Y and Y below X at once, ${ROUNDS} times: one move each time, never a loop`, async () => {
    const x = await department('x');
    const y = await department('y');
    const outcomes: string[] = [];
    const loops: number[] = [];
    const refusals: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await t.db.query(`update unit set parent_id = $2 where id = any($1::uuid[])`, [
        [x, y],
        org.rootId,
      ]);
      const [a, b] = await Promise.all([move(x, y), move(y, x)]);
      outcomes.push([a.status, b.status].sort().join('+'));
      if ((await cut()).length) loops.push(round);
      refusals.push(...[a, b].filter((r) => r.status !== 200).map((r) => r.body.errors));
    }
    process.stdout.write(`opposite moves: ${outcomes.join(' ')}\n`);
    expect({ roundsEndingInALoop: loops }).toEqual({ roundsEndingInALoop: [] });
    expect(outcomes).toEqual(Array<string>(ROUNDS).fill('200+409'));
    expect(new Set(refusals.map((e) => JSON.stringify(e)))).toEqual(
      new Set([
        JSON.stringify([{ field: 'parentId', message: 'a unit cannot be moved below itself' }]),
      ]),
    );
    // The tree still reads: the report of the organisation's team answers.
    const report = await t.http
      .get(`/units/${org.teamId}/report`)
      .set('authorization', `Bearer ${hr}`);
    expect(report.status).toBeLessThan(500);
  });

  it('three units moved into a ring at once: two of the three moves succeed, never all three', async () => {
    const units = [await department('r1'), await department('r2'), await department('r3')];
    const loops: number[] = [];
    const outcomes: string[] = [];
    for (let round = 0; round < 10; round++) {
      await t.db.query(`update unit set parent_id = $2 where id = any($1::uuid[])`, [
        units,
        org.rootId,
      ]);
      const results = await Promise.all(units.map((u, i) => move(u, units[(i + 1) % 3])));
      outcomes.push(
        results
          .map((r) => r.status)
          .sort()
          .join('+'),
      );
      if ((await cut()).length) loops.push(round);
    }
    process.stdout.write(`ring moves: ${outcomes.join(' ')}\n`);
    expect({ roundsEndingInALoop: loops }).toEqual({ roundsEndingInALoop: [] });
    expect(outcomes).toEqual(Array<string>(10).fill('200+200+409'));
  });
});
