import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MachineInfo } from './machine';

/** One measured figure, with the unit it is printed in. */
export interface Figure {
  value: number;
  unit: string;
}

/** One row of the final table: the product against its baseline, measured in the same run. */
export interface Comparison {
  case: string;
  product: Figure;
  baseline: Figure;
  /** How the ratio is formed, e.g. "product / baseline". */
  ratioOf: string;
  ratio: number;
  /** The goal as printed, e.g. "≥ 0.5". */
  goal: string;
  /** Whether the ratio meets the goal; null where the row is reported without a goal. */
  met: boolean | null;
  /** Further figures behind the row (sizes, counts, repetitions), for the JSON and the log. */
  details?: Record<string, unknown>;
}

/** A case that did not produce figures: not wired yet, or failed. */
export interface Missing {
  case: string;
  reason: string;
  failed: boolean;
}

export interface Results {
  startedAt: string;
  seconds: number;
  machine: MachineInfo;
  comparisons: Comparison[];
  missing: Missing[];
}

function figure(f: Figure): string {
  const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return `${f.value.toLocaleString('en-GB', { maximumFractionDigits: digits })} ${f.unit}`;
}

/** The table printed at the end of a run; plain text that also reads well pasted into Markdown. */
export function formatTable(results: Results): string {
  const header = ['case', 'product', 'baseline', 'ratio', 'goal', 'met?'];
  const rows = results.comparisons.map((c) => [
    c.case,
    figure(c.product),
    figure(c.baseline),
    `${c.ratio.toFixed(2)} (${c.ratioOf})`,
    c.goal,
    c.met === null ? '—' : c.met ? 'yes' : 'NO',
  ]);
  for (const m of results.missing)
    rows.push([m.case, '—', '—', '—', '—', m.failed ? `FAILED: ${m.reason}` : m.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

export function writeResults(path: string, results: Results): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
