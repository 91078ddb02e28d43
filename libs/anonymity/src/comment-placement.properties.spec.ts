import fc from 'fast-check';
import { placeComments } from './comment-placement';
import { decideCommentVisibility, type UnitComments } from './comments';
import { TreeFacts, treeArb, type GeneratedTree } from './testing/trees';

/**
 * The tests act as a reader who sees every shown comment pool of every round, labelled with
 * the unit it is shown at, and combines them in any way (unions, differences, across the tree
 * and across rounds): can any combination single out fewer than the comment minimum of authors?
 */
const RUNS = { numRuns: 300 };

interface Comment {
  id: string;
  round: number;
  author: string;
  unit: string;
}

interface World {
  tree: GeneratedTree;
  minCommentGroup: number;
  /** Per round: who is in which unit, and who commented how many times. */
  rounds: { unitOf: Map<string, string>; commented: Map<string, number> }[];
}

/**
 * People sit in the tree's units; each round some comment (1–3 comments each, one sealed row).
 * Between rounds a person may stay, leave, or move to another unit: the cases where two rounds'
 * pools differ by a known person.
 */
const worldArb: fc.Arbitrary<World> = treeArb(20).chain((tree) => {
  const people = tree.units.flatMap((u) =>
    Array.from({ length: u.respondents }, (_, i) => ({ id: `${u.id}/p${i}`, unit: u.id })),
  );
  const unitIds = tree.units.map((u) => u.id);
  const perPerson = fc.record({
    first: fc.integer({ min: 0, max: 3 }),
    second: fc.integer({ min: 0, max: 3 }),
    fate: fc.oneof(
      { weight: 4, arbitrary: fc.constant<'stay' | 'leave' | 'move'>('stay') },
      { weight: 1, arbitrary: fc.constant<'stay' | 'leave' | 'move'>('leave') },
      { weight: 1, arbitrary: fc.constant<'stay' | 'leave' | 'move'>('move') },
    ),
    moveTo: fc.nat(),
  });
  return fc
    .record({
      minCommentGroup: fc.integer({ min: tree.k, max: 12 }),
      choices: fc.array(perPerson, { minLength: people.length, maxLength: people.length }),
    })
    .map(({ minCommentGroup, choices }) => {
      const first = { unitOf: new Map<string, string>(), commented: new Map<string, number>() };
      const second = { unitOf: new Map<string, string>(), commented: new Map<string, number>() };
      people.forEach((p, i) => {
        const c = choices[i];
        first.unitOf.set(p.id, p.unit);
        if (c.first > 0) first.commented.set(p.id, c.first);
        if (c.fate === 'leave') return;
        const unit = c.fate === 'move' ? unitIds[c.moveTo % unitIds.length] : p.unit;
        second.unitOf.set(p.id, unit);
        if (c.second > 0) second.commented.set(p.id, c.second);
      });
      return { tree, minCommentGroup, rounds: [first, second] };
    });
});

/** What the placement function is given: per unit, respondents and people who commented. */
function unitsOf(world: World, round: number): UnitComments[] {
  const { unitOf, commented } = world.rounds[round];
  return world.tree.units.map((u) => {
    const members = [...unitOf].filter(([, unit]) => unit === u.id).map(([person]) => person);
    return {
      id: u.id,
      parentId: u.parentId,
      respondents: members.length,
      comments: members.filter((p) => commented.has(p)).length,
    };
  });
}

function commentsOf(world: World, round: number): Comment[] {
  const { unitOf, commented } = world.rounds[round];
  return [...commented].flatMap(([author, n]) =>
    Array.from({ length: n }, (_, i) => ({
      id: `${round}:${author}:${i}`,
      round,
      author,
      unit: unitOf.get(author)!,
    })),
  );
}

/**
 * Every set of comments a reader can be shown: each unit's placed pool, and each unit's pools
 * together with everything shown beneath it (a leader of a department reading its teams too).
 */
function shownSets(world: World, facts: TreeFacts): Comment[][] {
  const sets: Comment[][] = [];
  for (const round of [0, 1]) {
    const settings = { minGroupSize: world.tree.k, minCommentGroup: world.minCommentGroup };
    const placement = placeComments(unitsOf(world, round), { roundClosed: true }, settings);
    const comments = commentsOf(world, round);
    const at = (c: Comment) => placement.placedAt.get(c.unit);
    for (const unit of placement.pools.keys()) {
      sets.push(comments.filter((c) => at(c) === unit));
      sets.push(comments.filter((c) => at(c) === unit || facts.isAncestor(unit, at(c) ?? '')));
    }
  }
  return sets;
}

describe('placeComments against a reader combining pools', () => {
  it('never shows anything of an open round', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const settings = { minGroupSize: world.tree.k, minCommentGroup: world.minCommentGroup };
        const placement = placeComments(unitsOf(world, 0), { roundClosed: false }, settings);
        expect(placement.placedAt.size).toBe(0);
        expect(placement.pools.size).toBe(0);
      }),
      RUNS,
    );
  });

  it('shows comments at their own unit or the nearest unit above whose pool is shown', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const facts = new TreeFacts(world.tree.units);
        const settings = { minGroupSize: world.tree.k, minCommentGroup: world.minCommentGroup };
        const units = unitsOf(world, 0);
        const placement = placeComments(units, { roundClosed: true }, settings);
        for (const [from, to] of placement.placedAt) {
          expect(from === to || facts.isAncestor(to, from)).toBe(true);
          // Nothing between the unit and where it is shown holds a pool of its own.
          for (const between of placement.pools.keys()) {
            if (between !== to && facts.isAncestor(to, between)) {
              expect(between === from || facts.isAncestor(between, from)).toBe(false);
            }
          }
        }
        // A unit whose own pool may be shown keeps its comments.
        const decision = decideCommentVisibility(units, { roundClosed: true }, settings);
        for (const unit of units) {
          if (unit.comments > 0 && decision.get(unit.id)?.shown) {
            expect(placement.placedAt.get(unit.id)).toBe(unit.id);
          }
        }
      }),
      RUNS,
    );
  });

  it('counts people, not comments: each shown pool holds at least the minimum of authors', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const facts = new TreeFacts(world.tree.units);
        for (const set of shownSets(world, facts)) {
          const authors = new Set(set.map((c) => c.author));
          expect(set.length === 0 || authors.size >= world.minCommentGroup).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('leaves no combination of shown pools, across the tree and across two rounds (people leaving and moving between them), that isolates fewer than the minimum of authors', () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        const facts = new TreeFacts(world.tree.units);
        const sets = shownSets(world, facts);
        // The finest pieces any unions and differences of the shown sets can produce: comments
        // grouped by which shown sets hold them. Every combination is a union of such pieces.
        const pieces = new Map<string, Set<string>>();
        for (const round of [0, 1]) {
          for (const c of commentsOf(world, round)) {
            const signature = sets.map((s) => (s.some((x) => x.id === c.id) ? 1 : 0)).join('');
            if (!signature.includes('1')) continue;
            const piece = pieces.get(signature) ?? new Set<string>();
            pieces.set(signature, piece.add(c.author));
          }
        }
        for (const authors of pieces.values()) {
          expect(authors.size).toBeGreaterThanOrEqual(world.minCommentGroup);
        }
      }),
      RUNS,
    );
  });
});
