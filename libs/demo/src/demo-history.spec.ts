import { DEFAULT_ANONYMITY_SETTINGS, placeComments } from '@trellis/anonymity';
import { voiceTexts } from '@trellis/synthetic';
import { DEMO_ARCHETYPES, demoHistory } from './demo-history';
import { DEMO_TEAMS } from './demo-roster';

/** The demo's tree as the roster import builds it: departments by path, teams beneath. */
function demoUnits(): { id: string; parentId: string | null }[] {
  const units = new Map<string, string | null>([['org', null]]);
  for (const team of DEMO_TEAMS) {
    let parent = 'org';
    for (const name of team.department.split(' / ')) {
      const id = `${parent}/${name}`;
      units.set(id, parent);
      parent = id;
    }
    units.set(team.key, parent);
  }
  return [...units].map(([id, parentId]) => ({ id, parentId }));
}

describe('the demo history’s comments', () => {
  const today = new Date('2026-12-05T12:00:00Z');
  const rounds = demoHistory(today);

  it('gives every data row of every round an entry, in the voice of the row’s team', () => {
    for (const round of rounds) {
      const teams = round.csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]);
      expect(round.comments).toHaveLength(teams.length);
      round.comments.forEach((c, i) => {
        if (c === null) return;
        const voice = voiceTexts(DEMO_ARCHETYPES[teams[i]]);
        for (const text of [c.comment, ...c.comments.map((t) => t.text)])
          if (text !== undefined) expect(voice.has(text)).toBe(true);
      });
    }
  });

  it('is the same on every run, and the answers are those of the seed alone', () => {
    const again = demoHistory(today);
    expect(again).toEqual(rounds);
    // A stricter minimum changes who comments, never an answer.
    expect(demoHistory(today, 8, 12).map((r) => r.csv)).toEqual(rounds.map((r) => r.csv));
  });

  it('with the default minimum, reads some teams at the team, some at their department, none at the top', () => {
    const units = demoUnits();
    const settings = DEFAULT_ANONYMITY_SETTINGS;
    const placedIn = rounds.map((round) => {
      const teams = round.csv
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(',')[0]);
      const respondents = new Map<string, number>();
      const commenters = new Map<string, number>();
      teams.forEach((team, i) => {
        respondents.set(team, (respondents.get(team) ?? 0) + 1);
        if (round.comments[i]) commenters.set(team, (commenters.get(team) ?? 0) + 1);
      });
      const placement = placeComments(
        units.map((u) => ({
          ...u,
          respondents: respondents.get(u.id) ?? 0,
          comments: commenters.get(u.id) ?? 0,
        })),
        { roundClosed: true },
        settings,
      );
      return placement;
    });
    const latest = placedIn[placedIn.length - 1];
    expect(latest.placedAt.get('sales-emea')).toBe('sales-emea');
    for (const team of ['checkout', 'search', 'mobile'])
      expect(latest.placedAt.get(team)).toBe('org/Engineering/Product');
    for (const team of ['platform', 'sre'])
      expect(latest.placedAt.get(team)).toBe('org/Engineering/Infrastructure');
    for (const placement of placedIn) {
      // Every team that commented is read somewhere, and never only at the organisation.
      expect([...placement.placedAt.values()]).not.toContain('org');
      expect(placement.placedAt.size).toBeGreaterThanOrEqual(6);
    }
  });
});
