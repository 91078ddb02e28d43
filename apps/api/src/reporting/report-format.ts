/** Numbers and names as the report pages write them; shared by every report page. */
import { figure } from '@trellis/scoring';

/**
 * The built-in instrument's dimension names, as its charts show them. A page passes the round's
 * own names (`namesOf`) where it has them; these only fill in for a key it does not know.
 */
const DIMENSION_NAMES: Record<string, string> = {
  psych_safety: 'Psychological safety',
  purpose_clarity: 'Clarity of purpose',
  decision_rights: 'Decision rights',
  alignment: 'Alignment',
  leader_support: 'Leader engagement',
  over_control: 'Over-control',
};

export type DimensionNames = Readonly<Record<string, string>>;

/** A dimension's name: the instrument's when given, else the built-in one, else its key. */
export const nameOf = (key: string, names: DimensionNames = {}) =>
  (Object.hasOwn(names, key) ? names[key] : undefined) ??
  DIMENSION_NAMES[key] ??
  key.replace(/_/g, ' ');
export const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
export const one = (x: number | null | undefined) =>
  typeof x === 'number' ? x.toFixed(1) : 'unknown';
/** A score: the digits a flag quotes for the same figure (`figure` in @trellis/scoring). */
export const two = (x: number | null | undefined) => (typeof x === 'number' ? figure(x) : '–');
export const pct = (x: number | null | undefined) =>
  typeof x === 'number' ? `${Math.round(x * 100)} %` : 'unknown';
export const numberOf = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export interface TreeUnit {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
}

/** Units in tree order (each parent before its children, siblings by name) with their depth. */
export function treeOrder(units: TreeUnit[]): { unit: TreeUnit; depth: number }[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, TreeUnit[]>();
  for (const u of units) {
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), u]);
  }
  const out: { unit: TreeUnit; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    const kids = (children.get(parent) ?? []).sort(
      (a, b) =>
        Number(b.kind === 'organisation') - Number(a.kind === 'organisation') ||
        a.name.localeCompare(b.name),
    );
    for (const u of kids) {
      out.push({ unit: u, depth });
      walk(u.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}
