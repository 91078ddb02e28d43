import { PeopleService, UnitsService } from '@trellis/organisation';
import { RoundsService } from '@trellis/surveys';
import { CommentsService } from '@trellis/reporting';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { answersFor, mintLinks } from './support/links';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

/**
 * A person in two teams answers, and may comment, once per team: two unlinkable comment rows.
 * k = 3, comment minimum 4. Product has teams A {shared, a1, a2} and B {shared, b1, b2}; the
 * shared person comments in both, a1 and b1 comment too: 4 rows from 3 people. Counted by
 * rows, Product's pool would be shown (4 ≥ 4) with 3 authors. Sales has teams C and D with two
 * commenters each, 4 people. Product's 3 people cannot be a pool anywhere of their own, nor the
 * root's remainder over Sales, so Sales is hidden as well and everything is read at the root:
 * 8 rows from 7 people.
 */
const MIN = 4;

describe('comments: a person in two teams counts once in a shared parent', () => {
  let t: TestApp;
  let org: OrgFixture;
  let hr: string;
  let roundId: string;
  const unit: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({ SIGN_IN_LIMIT: '1000', SIGN_IN_ADDRESS_LIMIT: '1000' });
    org = await createOrg(t.app, 'two-teams');
    await t.db.query(
      `update organisation set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{anonymity}', $2::jsonb) where id = $1`,
      [org.orgId, JSON.stringify({ minGroupSize: 3, minCommentGroup: MIN })],
    );
    const units = t.app.get(UnitsService);
    const people = t.app.get(PeopleService);
    for (const [dept, teams] of [
      ['product', ['a', 'b']],
      ['sales', ['c', 'd']],
    ] as const) {
      unit[dept] = (
        await units.create(org.orgId, { name: dept, key: `dept-${dept}`, kind: 'department' })
      ).id;
      for (const team of teams) {
        unit[team] = (
          await units.create(org.orgId, {
            name: `Team ${team}`,
            key: `team-${team}`,
            kind: 'team',
            parentId: unit[dept],
          })
        ).id;
      }
    }
    const member = async (local: string, teams: string[]) => {
      const p = await people.create(org.orgId, { email: `${local}@two-teams.test`, name: local });
      for (const team of teams) await people.addMembership(unit[team], p.id, 'member');
      return p.id;
    };
    const shared = await member('shared', ['a', 'b']);
    for (const team of ['a', 'b']) for (const i of [1, 2]) await member(`${team}${i}`, [team]);
    for (const team of ['c', 'd']) for (const i of [1, 2, 3]) await member(`${team}${i}`, [team]);
    hr = await signIn(t.http, org.hr.email);

    ({ roundId } = await openRoundNow(t.app, org, {
      teamIds: ['a', 'b', 'c', 'd'].map((x) => unit[x]),
      leaderSelfView: false,
    }));
    const links = (await mintLinks(t.db, roundId)).filter((l) => l.kind === 'member');
    expect(links.filter((l) => l.personId === shared)).toHaveLength(2);
    const form = await t.http.get(`/pulse/${links[0].token}`);
    expect(form.status).toBe(200);
    const commenters = new Set(['shared', 'a1', 'b1', 'c1', 'c2', 'd1', 'd2']);
    const names = new Map<string, string>();
    for (const row of (
      await t.db.query<{ id: string; name: string }>(
        `select id, name from person where organisation_id = $1`,
        [org.orgId],
      )
    ).rows)
      names.set(row.id, row.name);
    for (const link of links) {
      const name = names.get(link.personId)!;
      const team = Object.keys(unit).find((k) => unit[k] === link.unitId)!;
      const body = commenters.has(name) ? { comment: `${name} writes in team ${team}` } : {};
      const res = await t.http
        .post(`/pulse/${link.token}`)
        .send({ answers: answersFor(form.body.items), ...body });
      expect(res.status).toBe(201);
    }
    expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  it('stores one row per team the shared person commented in', async () => {
    const { rows } = await t.db.query<{ n: number }>(
      `select count(*)::int as n from comment where round_id = $1 and unit_id = any($2::uuid[])`,
      [roundId, [unit.a, unit.b]],
    );
    expect(rows[0].n).toBe(4);
  });

  it('does not show Product a pool of 4 rows from 3 people, nor Sales beside it', async () => {
    const comments = t.app.get(CommentsService);
    const product = await comments.unitComments(unit.product, { round: roundId });
    expect(product.status).toBe('none');
    expect(product.comments).toEqual([]);
    const sales = await comments.unitComments(unit.sales, { round: roundId });
    expect(sales.status).toBe('none');
    const res = await t.http
      .get(`/organisations/${org.orgId}/comments?round=${roundId}`)
      .set('authorization', `Bearer ${hr}`);
    expect(res.status).toBe(200);
    expect(res.body.pools.map((p: { unitId: string }) => p.unitId)).toEqual([org.rootId]);
    expect(res.body.pools[0].comments).toBe(8);
  });

  it('reads every comment at the root, where 7 distinct people wrote them', async () => {
    const view = await t.app.get(CommentsService).unitComments(org.rootId, { round: roundId });
    expect(view.status).toBe('shown');
    const texts = view.comments.map((c) => c.text).sort();
    expect(texts).toEqual(
      [
        'a1 writes in team a',
        'b1 writes in team b',
        'c1 writes in team c',
        'c2 writes in team c',
        'd1 writes in team d',
        'd2 writes in team d',
        'shared writes in team a',
        'shared writes in team b',
      ].sort(),
    );
    const authors = new Set(texts.map((text) => text.split(' ')[0]));
    expect(authors.size).toBeGreaterThanOrEqual(MIN);
    const { rows } = await t.db.query<{ unit_id: string; shown_at: string }>(
      `select unit_id, shown_at from comment_placement where round_id = $1`,
      [roundId],
    );
    expect(new Set(rows.map((r) => r.shown_at))).toEqual(new Set([org.rootId]));
  });
});
