import { decideVisibility, type UnitRespondents, type UnitVisibility } from './visibility';

const k5 = { minGroupSize: 5, minCommentGroup: 10 };
const closed = { roundClosed: true };

const unit = (id: string, parentId: string | null, respondents = 0): UnitRespondents => ({
  id,
  parentId,
  respondents,
});

/** The decision as `{ id: 'shown' | reason }`, which reads well in expectations. */
function outcome(units: UnitRespondents[], settings = k5): Record<string, string> {
  const decision = decideVisibility(units, closed, settings);
  return Object.fromEntries([...decision].map(([id, v]) => [id, v.reason]));
}

describe('decideVisibility', () => {
  it('hides the 6 when a department of 8 has teams of 6 and 2 (the textbook case)', () => {
    expect(outcome([unit('dept', null), unit('t6', 'dept', 6), unit('t2', 'dept', 2)])).toEqual({
      dept: 'shown',
      t6: 'complementary',
      t2: 'below_minimum',
    });
  });

  it('reports aggregate counts for every unit, shown or not', () => {
    const decision = decideVisibility(
      [unit('dept', null), unit('t6', 'dept', 6), unit('t2', 'dept', 2)],
      closed,
      k5,
    );
    expect(decision.get('dept')).toEqual<UnitVisibility>({
      shown: true,
      respondents: 8,
      reason: 'shown',
    });
    expect(decision.get('t2')).toEqual<UnitVisibility>({
      shown: false,
      respondents: 2,
      reason: 'below_minimum',
    });
  });

  it('counts a department’s own respondents in what its shown teams leave over', () => {
    // dept − t6 − t7 would be the 2 people who answered in the department itself.
    expect(outcome([unit('dept', null, 2), unit('t6', 'dept', 6), unit('t7', 'dept', 7)])).toEqual({
      dept: 'shown',
      t6: 'complementary',
      t7: 'shown',
    });
  });

  it('breaks ties between equally small siblings by id', () => {
    const teams = [
      unit('dept', null),
      unit('b', 'dept', 6),
      unit('a', 'dept', 6),
      unit('c', 'dept', 2),
    ];
    expect(outcome(teams)).toEqual({
      dept: 'shown',
      a: 'complementary',
      b: 'shown',
      c: 'below_minimum',
    });
  });

  it('hides nothing extra when the small groups together already hold k', () => {
    // With k = 7 the 1 + 5 + 6 hidden people are 12 together: dept − t9 reveals no one.
    const units = [
      unit('dept', null, 1),
      unit('t5', 'dept', 5),
      unit('t6', 'dept', 6),
      unit('t9', 'dept', 9),
    ];
    expect(outcome(units, { minGroupSize: 7, minCommentGroup: 10 })).toEqual({
      dept: 'shown',
      t5: 'below_minimum',
      t6: 'below_minimum',
      t9: 'shown',
    });
  });

  it('carries suppression up: hiding a department changes what the organisation leaves over', () => {
    // sales hides its 6 (sales − t2-team would isolate 2), then org − it = the 1 person at the
    // top, so a department goes too; sales (8) is the smaller one.
    const units = [
      unit('org', null, 1),
      unit('sales', 'org'),
      unit('s6', 'sales', 6),
      unit('s2', 'sales', 2),
      unit('ops', 'org'),
      unit('o10', 'ops', 10),
    ];
    expect(outcome(units)).toEqual({
      org: 'shown',
      sales: 'complementary',
      s6: 'complementary',
      s2: 'below_minimum',
      ops: 'shown',
      o10: 'shown',
    });
  });

  it('looks through a hidden department to its shown teams when checking the organisation', () => {
    // Hiding ops alone would not help: org − o1 − o2 still isolates the 3 in hr.
    const units = [
      unit('org', null),
      unit('hr', 'org'),
      unit('h3', 'hr', 3),
      unit('ops', 'org'),
      unit('o1', 'ops', 10),
      unit('o2', 'ops', 10),
    ];
    expect(outcome(units)).toEqual({
      org: 'shown',
      hr: 'below_minimum',
      h3: 'below_minimum',
      ops: 'complementary',
      o1: 'complementary',
      o2: 'shown',
    });
  });

  it('shows a department made of tiny teams, but none of the teams', () => {
    const units = [
      unit('dept', null),
      unit('a', 'dept', 2),
      unit('b', 'dept', 2),
      unit('c', 'dept', 2),
    ];
    expect(outcome(units)).toEqual({
      dept: 'shown',
      a: 'below_minimum',
      b: 'below_minimum',
      c: 'below_minimum',
    });
    expect(outcome([unit('dept', null), unit('a', 'dept', 2), unit('b', 'dept', 2)])).toEqual({
      dept: 'below_minimum',
      a: 'below_minimum',
      b: 'below_minimum',
    });
  });

  it('shows a group of exactly k, and a parent that equals its one child', () => {
    expect(outcome([unit('dept', null), unit('a', 'dept', 5), unit('b', 'dept', 5)])).toEqual({
      dept: 'shown',
      a: 'shown',
      b: 'shown',
    });
    // Identical aggregates differ by nobody, which reveals nothing.
    expect(outcome([unit('dept', null), unit('a', 'dept', 5)])).toEqual({
      dept: 'shown',
      a: 'shown',
    });
    expect(outcome([unit('team', null, 4)])).toEqual({ team: 'below_minimum' });
  });

  it('shows nothing of an open round but still counts respondents', () => {
    const decision = decideVisibility(
      [unit('org', null), unit('a', 'org', 40)],
      { roundClosed: false },
      k5,
    );
    expect([...decision]).toEqual([
      ['a', { shown: false, respondents: 40, reason: 'round_open' }],
      ['org', { shown: false, respondents: 40, reason: 'round_open' }],
    ]);
  });

  it('handles several roots and an empty organisation', () => {
    expect(outcome([unit('x', null, 5), unit('y', null, 3)])).toEqual({
      x: 'shown',
      y: 'below_minimum',
    });
    expect(decideVisibility([], closed, k5).size).toBe(0);
  });

  it('copes with a hierarchy far deeper than the call stack', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) =>
      unit(`u${i}`, i === 0 ? null : `u${i - 1}`),
    );
    chain[chain.length - 1].respondents = 5;
    const decision = decideVisibility(chain, closed, k5);
    expect([...decision.values()].every((v) => v.shown && v.respondents === 5)).toBe(true);
  });

  it.each([
    ['a duplicate id', [unit('a', null), unit('a', null)], /appears twice/],
    ['an unknown parent', [unit('a', 'missing', 5)], /unknown parent/],
    ['a cycle', [unit('a', 'b', 5), unit('b', 'a', 5)], /cycle/],
    ['a unit that is its own parent', [unit('a', 'a', 5)], /cycle/],
    ['negative respondents', [unit('a', null, -1)], /whole number/],
    ['fractional respondents', [unit('a', null, 5.5)], /whole number/],
    ['NaN respondents', [unit('a', null, Number.NaN)], /whole number/],
  ])('refuses %s rather than guess', (_, units, message) => {
    expect(() => decideVisibility(units, closed, k5)).toThrow(message);
  });

  it.each([
    { minGroupSize: 2, minCommentGroup: 10 },
    { minGroupSize: Number.NaN, minCommentGroup: 10 },
    { minGroupSize: 5, minCommentGroup: 4 },
  ])('refuses settings that would weaken the promise: %p', (settings) => {
    expect(() => decideVisibility([unit('a', null, 5)], closed, settings)).toThrow(RangeError);
  });
});
