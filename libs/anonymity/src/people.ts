import { buildHierarchy, type HierarchyNode } from './hierarchy';

export interface AnsweredMember {
  personId: string;
  unitId: string;
}

/**
 * Per unit, how many answers in its subtree come from a person already counted there: someone
 * who is a member of two teams answers in both, and their common ancestors would count them
 * twice. Counts of answers minus these are counts of distinct people, which is what k is about.
 * Answers without a person (imported history) are each a person of their own and never appear
 * here. Pairs whose unit is not in `units` are ignored: that unit is not part of the round.
 */
export function duplicateAnswers(
  units: readonly HierarchyNode[],
  answered: readonly AnsweredMember[],
): Map<string, number> {
  const { parent } = buildHierarchy(units);
  const unitsOf = new Map<string, string[]>();
  for (const { personId, unitId } of answered) {
    if (!parent.has(unitId)) continue;
    const list = unitsOf.get(personId);
    if (list) list.push(unitId);
    else unitsOf.set(personId, [unitId]);
  }
  const duplicates = new Map<string, number>();
  for (const list of unitsOf.values()) {
    if (list.length < 2) continue;
    // How often this person is counted at each unit above their teams.
    const seen = new Map<string, number>();
    for (const unitId of list) {
      for (let id: string | null = unitId; id !== null; id = parent.get(id) ?? null)
        seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    for (const [id, times] of seen)
      if (times > 1) duplicates.set(id, (duplicates.get(id) ?? 0) + times - 1);
  }
  return duplicates;
}
