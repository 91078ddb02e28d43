import { ownGroupId, withOwnGroups } from './own-groups';
import { DEFAULT_ANONYMITY_SETTINGS } from './settings';
import { decideVisibility } from './visibility';

describe('own groups', () => {
  const decide = (units: { id: string; parentId: string | null; respondents: number }[]) =>
    decideVisibility(withOwnGroups(units), { roundClosed: true }, DEFAULT_ANONYMITY_SETTINGS);

  it('hides a team’s own results when a tiny sub-team could be recovered by subtraction', () => {
    const v = decide([
      { id: 'org', parentId: null, respondents: 0 },
      { id: 'team', parentId: 'org', respondents: 6 },
      { id: 'sub', parentId: 'team', respondents: 2 },
    ]);
    expect(v.get('team')).toMatchObject({ shown: true, respondents: 8 });
    expect(v.get(ownGroupId('team'))?.shown).toBe(false);
    expect(v.get('sub')?.shown).toBe(false);
  });

  it('shows a leaf team’s own results exactly when it shows the team', () => {
    const v = decide([
      { id: 'org', parentId: null, respondents: 0 },
      { id: 'a', parentId: 'org', respondents: 6 },
      { id: 'b', parentId: 'org', respondents: 7 },
    ]);
    expect(v.get(ownGroupId('a'))?.shown).toBe(true);
    expect(v.get('a')?.shown).toBe(true);
  });

  it('shows both when the sub-team is large enough on its own', () => {
    const v = decide([
      { id: 'org', parentId: null, respondents: 0 },
      { id: 'team', parentId: 'org', respondents: 6 },
      { id: 'sub', parentId: 'team', respondents: 5 },
    ]);
    expect([v.get('team')?.shown, v.get(ownGroupId('team'))?.shown, v.get('sub')?.shown]).toEqual([
      true,
      true,
      true,
    ]);
  });
});
