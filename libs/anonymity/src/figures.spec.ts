import { decideFigure } from './figures';
import { decideVisibility } from './visibility';

const settings = { minGroupSize: 5, minCommentGroup: 10 };

describe('decideFigure with a history check', () => {
  // Ops with teams A (6) and B (6): the unit is shown; the figure rests on the same people.
  const tree = [
    { id: 'org', parentId: null, respondents: 0 },
    { id: 'ops', parentId: 'org', respondents: 0 },
    { id: 'a', parentId: 'ops', respondents: 6 },
    { id: 'b', parentId: 'ops', respondents: 6 },
  ];
  const units = decideVisibility(tree, { roundClosed: true }, settings);
  const counts = tree.map((u) => ({ id: u.id, parentId: u.parentId, n: u.respondents }));

  it('withholds a figure its history check refuses, with the reason history', () => {
    const decided = decideFigure(counts, units, settings, new Map(), (id) => id !== 'ops');
    expect(units.get('ops')?.shown).toBe(true);
    expect(decided.get('ops')).toEqual({ shown: false, n: 12, reason: 'history' });
  });

  it('hides only what it refuses when the remainder holds k: a team withheld for history leaves its sibling shown', () => {
    const decided = decideFigure(counts, units, settings, new Map(), (id) => id !== 'a');
    expect(decided.get('a')).toEqual({ shown: false, n: 6, reason: 'history' });
    // Ops (12) minus B (6) is A's six people, at least k: nothing else needs hiding.
    expect(decided.get('ops')?.shown).toBe(true);
    expect(decided.get('b')?.shown).toBe(true);
  });

  it('without a check decides as before', () => {
    const decided = decideFigure(counts, units, settings);
    expect([...decided.values()].every((v) => v.shown)).toBe(true);
  });
});
