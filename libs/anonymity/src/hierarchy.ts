/**
 * The unit tree every decision works on, built once and checked, so the decision code can trust
 * that each unit has exactly one place in one tree.
 */
export interface HierarchyNode {
  id: string;
  /** null for a root (normally the organisation). */
  parentId: string | null;
}

export interface Hierarchy {
  /** Children first: a unit comes after everything beneath it. */
  readonly postOrder: readonly string[];
  readonly children: ReadonlyMap<string, readonly string[]>;
  readonly parent: ReadonlyMap<string, string | null>;
}

/**
 * Rejects duplicate ids, unknown parents and cycles rather than guessing. An unknown parent in
 * particular is refused instead of treated as a root: deciding over a subtree alone can show a
 * unit that the decision over the whole organisation hides, so callers must pass every unit
 * with respondents and every unit above those. (Units with nobody under them may be left out:
 * they are never shown and never change what subtracting shown aggregates reveals.)
 */
export function buildHierarchy(units: readonly HierarchyNode[]): Hierarchy {
  const parent = new Map<string, string | null>();
  for (const { id, parentId } of units) {
    if (parent.has(id)) throw new RangeError(`unit ${id} appears twice`);
    parent.set(id, parentId);
  }
  const children = new Map<string, string[]>();
  for (const id of parent.keys()) children.set(id, []);
  const roots: string[] = [];
  for (const [id, parentId] of parent) {
    if (parentId === null) roots.push(id);
    else {
      const siblings = children.get(parentId);
      if (!siblings) throw new RangeError(`unit ${id} has unknown parent ${parentId}`);
      siblings.push(id);
    }
  }
  // Sorted by code unit, not locale, so two servers walk the tree the same way.
  for (const list of children.values()) list.sort(compareCodeUnits);
  roots.sort(compareCodeUnits);

  const postOrder = walkPostOrder(roots, children);
  // A unit on a cycle is never reached from a root.
  if (postOrder.length !== parent.size) throw new RangeError('the unit hierarchy has a cycle');
  return { postOrder, children, parent };
}

/** Sums each unit's own count with everything beneath it. */
export function aggregate(
  hierarchy: Hierarchy,
  direct: (id: string) => number,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const id of hierarchy.postOrder) {
    let sum = direct(id);
    for (const child of hierarchy.children.get(id) ?? []) sum += totals.get(child) ?? 0;
    totals.set(id, sum);
  }
  return totals;
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts arrive from SQL and JSON; anything but a whole number ≥ 0 is a bug upstream. */
export function assertCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number ≥ 0, got ${value}`);
  }
}

// Iterative: an imported hierarchy may be deep enough to overflow the call stack.
function walkPostOrder(
  roots: readonly string[],
  children: ReadonlyMap<string, readonly string[]>,
): string[] {
  const order: string[] = [];
  const stack: { id: string; expanded: boolean }[] = roots
    .slice()
    .reverse()
    .map((id) => ({ id, expanded: false }));
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.expanded) {
      order.push(top.id);
      continue;
    }
    stack.push({ id: top.id, expanded: true });
    const kids = children.get(top.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ id: kids[i], expanded: false });
  }
  return order;
}
