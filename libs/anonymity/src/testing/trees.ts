import fc from 'fast-check';
import type { UnitRespondents } from '../visibility';

/**
 * Random organisations for the property tests, shaped like real ones: a root, departments
 * that usually hold nobody directly but sometimes do, and teams of 0–20 respondents.
 */
export interface GeneratedTree {
  units: UnitRespondents[];
  k: number;
}

export const treeArb = (maxUnits = 30): fc.Arbitrary<GeneratedTree> =>
  fc
    .record({
      maxDepth: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 3, max: 7 }),
      shape: fc.array(
        fc.record({
          parentPick: fc.nat(),
          leafRespondents: fc.integer({ min: 0, max: 20 }),
          // Mostly 0: departments rarely have people of their own.
          ownRespondents: fc.oneof(
            { weight: 3, arbitrary: fc.constant(0) },
            { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) },
          ),
        }),
        { minLength: 1, maxLength: maxUnits, size: 'max' },
      ),
      idSeed: fc.nat(),
    })
    .map(({ maxDepth, k, shape, idSeed }) => {
      const depth: number[] = [];
      const parents: (number | null)[] = [];
      shape.forEach(({ parentPick }, i) => {
        if (i === 0) {
          depth.push(0);
          parents.push(null);
          return;
        }
        const open = depth.flatMap((d, j) => (d < maxDepth ? [j] : []));
        const parent = open[parentPick % open.length];
        parents.push(parent);
        depth.push(depth[parent] + 1);
      });
      const hasChildren = new Set(parents.filter((p): p is number => p !== null));
      // Ids whose order has nothing to do with the tree, so tie-breaking is really exercised.
      const idOf = (i: number): string => `u${((i * 7919 + idSeed) % 100003).toString(36)}-${i}`;
      const units = shape.map(({ leafRespondents, ownRespondents }, i) => ({
        id: idOf(i),
        parentId: parents[i] === null ? null : idOf(parents[i]),
        respondents: hasChildren.has(i) ? ownRespondents : leafRespondents,
      }));
      return { units, k };
    });

/** Everything an attacker can compute from the tree alone. */
export class TreeFacts {
  readonly children = new Map<string, string[]>();
  readonly totals = new Map<string, number>();

  constructor(readonly units: readonly UnitRespondents[]) {
    for (const unit of units) this.children.set(unit.id, []);
    for (const unit of units) {
      if (unit.parentId !== null) this.children.get(unit.parentId)?.push(unit.id);
    }
    const own = new Map(units.map((u) => [u.id, u.respondents]));
    const total = (id: string): number =>
      (own.get(id) ?? 0) + (this.children.get(id) ?? []).reduce((s, c) => s + total(c), 0);
    for (const unit of units) this.totals.set(unit.id, total(unit.id));
  }

  /** Every unit strictly beneath `id`. */
  descendants(id: string): string[] {
    return (this.children.get(id) ?? []).flatMap((c) => [c, ...this.descendants(c)]);
  }

  isAncestor(a: string, b: string): boolean {
    return this.descendants(a).includes(b);
  }
}

export const safeDifference = (n: number, k: number): boolean => n === 0 || n >= k;
