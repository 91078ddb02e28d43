import type { RosterRow } from './roster-csv';
import { departmentKey, planDigest, planRoster, type RosterState } from './roster-plan';

const row = (
  line: number,
  email: string,
  teamKey: string,
  role: 'member' | 'leader' = 'member',
  departmentPath = ['Eng'],
): RosterRow => ({
  line,
  email,
  name: email.split('@')[0],
  teamKey,
  teamName: teamKey.toUpperCase(),
  departmentPath,
  role,
});

const ROOT = { id: 'root', key: 'acme', kind: 'organisation', name: 'Acme', parentId: null };
const ENG = {
  id: 'eng',
  key: departmentKey(['Eng']),
  kind: 'department',
  name: 'Eng',
  parentId: 'root',
};

function state(partial: Partial<RosterState> = {}): RosterState {
  return {
    rootId: 'root',
    units: [ROOT],
    people: [],
    memberships: [],
    peopleWithOtherTeams: [],
    ...partial,
  };
}

describe('planRoster', () => {
  const rows = [row(2, 'ann@x.test', 'a', 'leader'), row(3, 'bob@x.test', 'a')];

  it('adds everything to an empty organisation', () => {
    const plan = planRoster(rows, state());
    expect(plan.units.added.map((u) => [u.kind, u.key, u.parent])).toEqual([
      ['department', 'Eng', ''],
      ['team', 'a', 'Eng'],
    ]);
    expect(plan.people.added.map((p) => p.email)).toEqual(['ann@x.test', 'bob@x.test']);
    expect(plan.memberships.started).toHaveLength(2);
    expect(plan.memberships.ended).toEqual([]);
  });

  it('changes nothing when the roster already matches', () => {
    const plan = planRoster(
      rows,
      state({
        units: [ROOT, ENG, { id: 'a', key: 'a', kind: 'team', name: 'A', parentId: 'eng' }],
        people: [
          { id: 'p1', email: 'ann@x.test', name: 'ann' },
          { id: 'p2', email: 'bob@x.test', name: 'bob' },
        ],
        memberships: [
          { personId: 'p1', unitKey: 'a', role: 'leader' },
          { personId: 'p2', unitKey: 'a', role: 'member' },
        ],
      }),
    );
    expect(plan.units).toEqual({ added: [], changed: [], unchanged: { departments: 1, teams: 1 } });
    expect(plan.people).toMatchObject({
      added: [],
      renamed: [],
      unchanged: 2,
      leavingAllTeams: [],
    });
    expect(plan.memberships).toMatchObject({
      started: [],
      roleChanged: [],
      ended: [],
      unchanged: 2,
    });
  });

  it('ends the memberships of the listed teams the file leaves out; only people with no other team leave all teams', () => {
    const base = state({
      units: [ROOT, ENG, { id: 'a', key: 'a', kind: 'team', name: 'A', parentId: 'eng' }],
      people: [
        { id: 'p1', email: 'ann@x.test', name: 'ann' },
        { id: 'p3', email: 'cat@x.test', name: 'cat' },
        { id: 'p4', email: 'dan@x.test', name: 'dan' },
      ],
      memberships: [
        { personId: 'p1', unitKey: 'a', role: 'member' },
        { personId: 'p3', unitKey: 'a', role: 'member' },
        { personId: 'p4', unitKey: 'a', role: 'leader' },
      ],
      peopleWithOtherTeams: ['p4'],
    });
    const plan = planRoster(rows, base);
    expect(plan.memberships.ended.map((m) => m.email)).toEqual(['cat@x.test', 'dan@x.test']);
    expect(plan.people.leavingAllTeams).toEqual([{ email: 'cat@x.test', name: 'cat' }]);
    expect(plan.memberships.roleChanged).toEqual([
      expect.objectContaining({ email: 'ann@x.test', role: 'leader', before: { role: 'member' } }),
    ]);
  });

  it('refuses a team key used by a department, on the first line naming it', () => {
    const plan = planRoster(
      [row(2, 'ann@x.test', 'ops'), row(3, 'bob@x.test', 'ops')],
      state({
        units: [ROOT, { id: 'ops', key: 'ops', kind: 'department', name: 'Ops', parentId: 'root' }],
      }),
    );
    expect(plan.problems).toEqual([
      { line: 2, column: 'team_key', message: expect.stringContaining('department') },
    ]);
    expect(plan.people.added).toEqual([]);
  });

  it('gives another digest when the roster it was computed on differs', () => {
    const one = planRoster(
      rows,
      state({ people: [{ id: 'p1', email: 'ann@x.test', name: 'ann' }] }),
    );
    const same = planRoster(
      rows,
      state({ people: [{ id: 'p1', email: 'ann@x.test', name: 'ann' }] }),
    );
    const other = planRoster(
      rows,
      state({ people: [{ id: 'p1', email: 'ann@x.test', name: 'Ann B' }] }),
    );
    expect(planDigest(same)).toBe(planDigest(one));
    expect(planDigest(other)).not.toBe(planDigest(one));
  });
});
