import { ownGroupId, type UnitVisibility } from '@trellis/anonymity';

export interface ScopeUnit {
  id: string;
  parentId: string | null;
  name: string;
  kind: string;
}

export interface ScopeRound {
  id: string;
  periodStart: string;
  periodEnd: string;
  dimensions: { key: string; name: string }[];
}

/** One unit in one round, with what may be shown of it. */
export interface ScopeRow {
  roundId: string;
  periodStart: string;
  periodEnd: string;
  unitId: string;
  unitPath: string;
  unitName: string;
  unitKind: string;
  respondents: number;
  /** The unit's aggregate (itself and everything below it). */
  shown: boolean;
  /** Its own respondents: the quadrant and flags read only them. */
  ownShown: boolean;
}

export interface ScopeDimension {
  roundId: string;
  key: string;
  name: string;
  position: number;
}

/**
 * A cell a spreadsheet would read as a formula (=, +, -, @, or a tab or carriage return that
 * some programs strip first) gets a leading apostrophe, so it is shown as text: OWASP's advice
 * against CSV injection. Only for files; the data API returns names as they were typed.
 */
export function inert(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** "Acme / Engineering / Platform": each unit's names from the top down. */
export function unitPaths(units: readonly ScopeUnit[]): Map<string, string> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const paths = new Map<string, string>();
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const unit = byId.get(id)!;
    const path = unit.parentId ? `${pathOf(unit.parentId)} / ${unit.name}` : unit.name;
    paths.set(id, path);
    return path;
  };
  for (const u of units) pathOf(u.id);
  return paths;
}

/** The unit and everything below it. */
export function subtree(units: readonly ScopeUnit[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const u of units) {
    if (!u.parentId) continue;
    const list = children.get(u.parentId) ?? [];
    list.push(u.id);
    children.set(u.parentId, list);
  }
  const found = new Set<string>();
  const stack = [rootId];
  while (stack.length) {
    const id = stack.pop()!;
    found.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return found;
}

/**
 * The rows an export may contain: every unit that had respondents in a round, marked with the
 * anonymity module's decision for it and for its own respondents. Nothing else decides. Rows
 * follow the rounds' order, then the units' paths.
 */
export function scopeRows(
  units: readonly ScopeUnit[],
  rounds: readonly ScopeRound[],
  visibility: ReadonlyMap<string, ReadonlyMap<string, UnitVisibility>>,
  filter: { unitId?: string; dimensions?: readonly string[] },
  forSpreadsheet = false,
): { units: ScopeRow[]; dimensions: ScopeDimension[] } {
  const text = forSpreadsheet ? inert : (t: string) => t;
  const paths = unitPaths(units);
  const within = filter.unitId ? subtree(units, filter.unitId) : null;
  const wanted = filter.dimensions?.length ? new Set(filter.dimensions) : null;
  const rows: ScopeRow[] = [];
  const dimensions: ScopeDimension[] = [];
  // Units in path order, so each round's rows come out in the order a file lists them.
  const ordered = [...units].sort((a, b) => {
    const pa = paths.get(a.id)!;
    const pb = paths.get(b.id)!;
    return pa < pb ? -1 : pa > pb ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  for (const round of rounds) {
    const decided = visibility.get(round.id);
    if (!decided) continue;
    round.dimensions.forEach((d, position) => {
      if (!wanted || wanted.has(d.key))
        dimensions.push({ roundId: round.id, key: d.key, name: text(d.name), position });
    });
    for (const unit of ordered) {
      if (within && !within.has(unit.id)) continue;
      const v = decided.get(unit.id);
      if (!v || v.respondents === 0) continue;
      rows.push({
        roundId: round.id,
        periodStart: round.periodStart,
        periodEnd: round.periodEnd,
        unitId: unit.id,
        unitPath: text(paths.get(unit.id)!),
        unitName: text(unit.name),
        unitKind: unit.kind,
        respondents: v.respondents,
        shown: v.shown,
        ownShown: v.shown && (decided.get(ownGroupId(unit.id))?.shown ?? false),
      });
    }
  }
  return { units: rows, dimensions };
}

/** A text field for a CSV line; COPY reads it back exactly, quotes and newlines included. */
function quoted(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/** One scope row as a CSV line for `COPY_SCOPE`. */
export function scopeLine(seq: number, r: ScopeRow): string {
  return [
    seq,
    r.roundId,
    r.periodStart,
    r.periodEnd,
    r.unitId,
    quoted(r.unitPath),
    quoted(r.unitName),
    quoted(r.unitKind),
    r.respondents,
    r.shown,
    r.ownShown,
  ].join(',');
}
