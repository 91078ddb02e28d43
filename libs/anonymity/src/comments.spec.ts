import fc from 'fast-check';
import {
  commentsVisible,
  decideCommentVisibility,
  orderComments,
  type UnitComments,
} from './comments';
import { TreeFacts, safeDifference, treeArb } from './testing/trees';

const settings = { minGroupSize: 5, minCommentGroup: 10 };
const closed = { roundClosed: true };

describe('commentsVisible', () => {
  it('needs a closed round, k respondents and the comment minimum', () => {
    expect(commentsVisible(10, 12, settings, true)).toBe(true);
    expect(commentsVisible(10, 12, settings, false)).toBe(false);
    expect(commentsVisible(9, 40, settings, true)).toBe(false);
    expect(commentsVisible(0, 40, settings, true)).toBe(false);
    expect(commentsVisible(3, 3, { minGroupSize: 3, minCommentGroup: 3 }, true)).toBe(true);
  });

  it('refuses counts that cannot be true rather than trust them', () => {
    // One comment per submission: more comments than people means the count no longer counts authors.
    expect(() => commentsVisible(11, 10, settings, true)).toThrow(/more comments/);
    expect(() => commentsVisible(-1, 10, settings, true)).toThrow(RangeError);
    expect(() => commentsVisible(10, 20, { minGroupSize: 5, minCommentGroup: 4 }, true)).toThrow(
      RangeError,
    );
  });
});

describe('decideCommentVisibility', () => {
  const unit = (
    id: string,
    parentId: string | null,
    respondents: number,
    comments: number,
  ): UnitComments => ({
    id,
    parentId,
    respondents,
    comments,
  });

  it('hides a team’s comments when the department’s pool minus them would expose a small team’s', () => {
    const decision = decideCommentVisibility(
      [unit('dept', null, 0, 0), unit('big', 'dept', 20, 12), unit('small', 'dept', 4, 3)],
      closed,
      settings,
    );
    expect(Object.fromEntries([...decision].map(([id, v]) => [id, v.reason]))).toEqual({
      big: 'complementary',
      dept: 'shown',
      small: 'below_minimum',
    });
    expect(decision.get('dept')?.comments).toBe(15);
  });

  it('shows no comments of an open round', () => {
    const decision = decideCommentVisibility(
      [unit('team', null, 30, 30)],
      { roundClosed: false },
      settings,
    );
    expect(decision.get('team')).toEqual({ shown: false, comments: 30, reason: 'round_open' });
  });

  it('never lets any subtraction of shown comment pools isolate fewer than the comment minimum', () => {
    const arb = treeArb().chain(({ units, k }) =>
      fc.record({
        k: fc.constant(k),
        minComments: fc.integer({ min: k, max: 12 }),
        units: fc.tuple(
          ...units.map((u) =>
            fc.integer({ min: 0, max: u.respondents }).map((comments) => ({ ...u, comments })),
          ),
        ),
      }),
    );
    fc.assert(
      fc.property(arb, ({ units, k, minComments }) => {
        const decision = decideCommentVisibility(units, closed, {
          minGroupSize: k,
          minCommentGroup: minComments,
        });
        const byComments = new TreeFacts(units.map((u) => ({ ...u, respondents: u.comments })));
        const people = new TreeFacts(units);
        const shown = [...decision].filter(([, v]) => v.shown).map(([id]) => id);
        for (const top of shown) {
          expect(decision.get(top)?.comments).toBe(byComments.totals.get(top));
          expect(people.totals.get(top)).toBeGreaterThanOrEqual(k);
          // Every disjoint set of shown pools beneath `top`, via the sums they can reach.
          const reach = (id: string): Set<number> => {
            let sums = new Set([0]);
            for (const child of byComments.children.get(id) ?? []) {
              const options = reach(child);
              if (shown.includes(child)) options.add(byComments.totals.get(child) ?? 0);
              sums = new Set([...sums].flatMap((a) => [...options].map((b) => a + b)));
            }
            return sums;
          };
          const total = byComments.totals.get(top) ?? 0;
          expect(total).toBeGreaterThanOrEqual(minComments);
          for (const sum of reach(top)) expect(safeDifference(total - sum, minComments)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('orderComments', () => {
  it('orders by text alone, by code unit rather than locale', () => {
    expect(orderComments(['b', 'a', 'B', 'ä', 'a'])).toEqual(['B', 'a', 'a', 'b', 'ä']);
  });

  it('gives the same order whatever order the comments were stored in, and leaves the input alone', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.string())
          .chain((bodies) =>
            fc.tuple(
              fc.constant(bodies),
              fc.shuffledSubarray(bodies, { minLength: bodies.length }),
            ),
          ),
        ([bodies, shuffled]) => {
          const copy = [...bodies];
          expect(orderComments(shuffled)).toEqual(orderComments(bodies));
          expect(bodies).toEqual(copy);
        },
      ),
    );
  });
});
