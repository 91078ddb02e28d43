import { FLAG_TITLES, type FlagCode } from '@trellis/scoring';
import type { CommitmentView } from '@trellis/reporting';
import { commitmentsSection, type CommitmentFormState } from './report-commitments';
import { createHash } from 'node:crypto';
import type { ReportsService } from '@trellis/reporting';
import { CHART_JS_URL } from './assets';
import { esc, tableWrap } from './html';
import { REPORT_SCRIPT } from './report-charts';
import { REPORT_STYLE } from './report-pages.css';
import { capital, numberOf, one, pct, two, words } from '../reporting/report-format';

export type UnitReport = Awaited<ReturnType<ReportsService['unitReport']>>;

interface FlagView {
  code: string;
  level: 'watch' | 'confirmed';
  evidence: Record<string, number | string | null>;
  explanation: string;
  actions: string[];
}

interface ItemView {
  key: string;
  dimension: string;
  text: string;
  reverse?: boolean;
  n: number;
  mean: number | null;
  distribution: number[];
}

export interface Viewer {
  name: string;
  /** The organisation overview, for HR and admins. */
  overviewHref?: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Scripts only from this server (Chart.js) and the one inline script by its hash; no inline styles. */
export const REPORT_CSP = [
  "default-src 'none'",
  `script-src 'self' ${sha256(REPORT_SCRIPT)}`,
  `style-src ${sha256(REPORT_STYLE)}`,
  'img-src data:',
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export const REPORT_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': REPORT_CSP,
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-robots-tag': 'noindex',
};

/** JSON that is safe inside <script>: nothing in it can close the element or start a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function layout(
  title: string,
  body: string,
  viewer?: Viewer,
  data?: unknown,
  head = '',
): string {
  const nav = viewer
    ? `<form method="post" action="/sign-out"><span class="muted">${esc(viewer.name)}</span> <button class="link" type="submit">Sign out</button></form>`
    : '';
  const scripts =
    data === undefined
      ? ''
      : `<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script src="${esc(CHART_JS_URL)}"></script>
<script>${REPORT_SCRIPT}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Trellis</title>${head}
<style>${REPORT_STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header><a class="brand" href="/app">Trellis</a>${nav}</header>
<main id="main">
${body}
</main>
${scripts}
</body>
</html>`;
}

// ---------------------------------------------------------------- words

const LEVEL_WORDS = {
  confirmed:
    'Confirmed: even at the cautious end of each 90 % interval the numbers stay on the wrong side of the line, so this is unlikely to be chance.',
  watch:
    'Watch: the averages meet the rule, but the 90 % intervals still reach across the line, so it may be chance. See whether it holds next round.',
} as const;

const QUADRANT_WORDS: Record<string, string> = {
  aligned_autonomy: 'aligned autonomy: room to decide and a shared direction (healthy)',
  abandonment_risk: 'abandonment risk: room to decide without shared direction',
  micromanagement_risk: 'micromanagement risk: a shared direction but little room to decide',
  adrift: 'adrift: neither room to decide nor a shared direction',
};

/** "Over-control 4.2 (90 % interval 3.9–4.5)" from an evidence record. */
function measured(label: string, e: FlagView['evidence'], name: string): string | null {
  const value = numberOf(e[name]);
  if (value === null) return null;
  const low = numberOf(e[`${name}CiLow`]);
  const high = numberOf(e[`${name}CiHigh`]);
  const interval = low !== null && high !== null ? ` (90 % interval ${one(low)}–${one(high)})` : '';
  return `${label} ${one(value)}${interval}`;
}

function list(parts: (string | null)[]): string {
  return parts.filter((p): p is string => p !== null).join('; ');
}

/** The evidence numbers of a flag, in words a leader can read (1..5 scale). */
export function evidenceInWords(flag: FlagView): string {
  const e = flag.evidence ?? {};
  const dims = typeof e.dimensions === 'string' ? e.dimensions.split(', ').filter(Boolean) : [];
  switch (flag.code) {
    case 'micromanagement':
      return `${list([
        measured('Over-control', e, 'control'),
        measured('decision rights', e, 'autonomy'),
        e.alignment === null || e.alignment === undefined
          ? null
          : `alignment ${one(numberOf(e.alignment))}`,
      ])}. The rule: over-control at ${one(numberOf(e.controlAtLeast))} or more with decision rights at ${one(numberOf(e.autonomyAtMost))} or less, on a scale of 1 to 5.`;
    case 'abandonment':
      return `${list([
        measured('Decision rights', e, 'autonomy'),
        measured('leader support', e, 'support'),
        measured('alignment', e, 'alignment'),
      ])}. The rule: decision rights at ${one(numberOf(e.autonomyAtLeast))} or more while leader support or alignment is at ${one(numberOf(e.supportAtMost))} or less, on a scale of 1 to 5.`;
    case 'low_safety':
      return `${measured('Psychological safety', e, 'safety') ?? 'Psychological safety unknown'}. The rule: ${one(numberOf(e.safetyAtMost))} or less, on a scale of 1 to 5.`;
    case 'split_team':
      return `${capital(
        dims
          .map(
            (d) =>
              `agreement on ${words(d)} is ${two(numberOf(e[`${d}.rwgJ`]))} among ${numberOf(e[`${d}.n`]) ?? 'unknown'} people`,
          )
          .join('; '),
      )}. Agreement (rwg) runs from 0 to 1; below ${two(numberOf(e.agreementBelow))} the team does not agree enough for its average to describe it.`;
    case 'declining':
      return `${capital(
        dims
          .map((d) => {
            const falls = numberOf(e[`${d}.fallsInARow`]);
            return `${words(d)} went from ${one(numberOf(e[`${d}.previous`]))} to ${one(numberOf(e[`${d}.current`]))}${falls && falls > 1 ? `, worse ${falls} rounds in a row` : ''}`;
          })
          .join('; '),
      )}, on a scale of 1 to 5.`;
    case 'perception_gap':
      return `${capital(
        dims
          .map((d) => {
            const low = numberOf(e[`${d}.teamCiLow`]);
            const high = numberOf(e[`${d}.teamCiHigh`]);
            return `${words(d)}: you ${one(numberOf(e[`${d}.self`]))}, your team ${one(numberOf(e[`${d}.team`]))}${low !== null && high !== null ? ` (90 % interval ${one(low)}–${one(high)})` : ''}`;
          })
          .join('; '),
      )}. A gap of ${one(numberOf(e.gapAtLeast))} or more counts, on a scale of 1 to 5.`;
    case 'low_participation':
      return `${pct(numberOf(e.responseRate))} of the team answered; below ${pct(numberOf(e.responseRateBelow))} the numbers may not speak for the team.`;
    default:
      return Object.entries(e)
        .map(([k, v]) => `${k.replace(/[._]/g, ' ')} ${typeof v === 'number' ? two(v) : String(v)}`)
        .join('; ');
  }
}

function flagCard(flag: FlagView): string {
  const title = FLAG_TITLES[flag.code as FlagCode] ?? capital(flag.code.replace(/_/g, ' '));
  const level = flag.level === 'confirmed' ? 'confirmed' : 'watch';
  return `<article class="flag ${level}" data-flag="${esc(flag.code)}">
  <h3><span class="level ${level}">${level === 'confirmed' ? 'Confirmed' : 'Watch'}</span>${esc(title)}</h3>
  <p>${esc(flag.explanation)}</p>
  <p class="evidence"><strong>The numbers:</strong> ${esc(evidenceInWords(flag))}</p>
  <p class="muted">${esc(LEVEL_WORDS[level])}</p>
  <h4>What to try</h4>
  <ul class="actions">${flag.actions.map((a) => `<li>${esc(a)}</li>`).join('')}</ul>
</article>`;
}

function numbers(label: string, table: string): string {
  return `<details><summary>${esc(label)}</summary>${tableWrap(label, table)}</details>`;
}

export function crumbs(viewer: Viewer): string {
  return `<nav class="crumbs" aria-label="Breadcrumb"><a href="/app">My teams</a>${
    viewer.overviewHref ? ` · <a href="${esc(viewer.overviewHref)}">Organisation overview</a>` : ''
  }</nav>`;
}

const PRINT_NOTE = `<p class="print-note muted">To keep a copy, use your browser's Print (Ctrl+P or ⌘P) and choose "Save as PDF": the report prints on A4 without the navigation.</p>`;

// ---------------------------------------------------------------- the team report

type ShownRound = Extract<UnitReport['trends'][number], { shown: true }>;
type Dimension = ShownRound['dimensions'][number];

function period(round: { periodStart: string; periodEnd: string }): string {
  return `${round.periodStart} to ${round.periodEnd}`;
}

export interface CommitmentsPart {
  unitId: string;
  list: CommitmentView[];
  form?: CommitmentFormState;
}

export function unitReportPage(
  report: UnitReport,
  viewer: Viewer,
  commitments?: CommitmentsPart,
): string {
  const name = report.unit.name;
  const title = `${name}: team health`;
  const head = `${crumbs(viewer)}<h1>${esc(title)}</h1>`;
  const latest = report.latest;
  if (!latest) {
    return layout(
      title,
      `${head}<section class="card"><p>There are no results for ${esc(name)} yet. Results appear after a round closes.</p></section>`,
      viewer,
    );
  }
  if (!latest.shown) {
    // A hidden group: the sentence and nothing else, not even its count.
    return layout(
      title,
      `${head}<section class="card"><p class="suppressed" id="suppressed">${esc(latest.message)}</p></section>`,
      viewer,
    );
  }
  const flags = report.flags as FlagView[];
  const items = report.items as ItemView[];
  const dims = latest.dimensions;
  const scale = report.scale ?? { min: 1, max: 5 };
  const rate =
    latest.responseRate === null
      ? 'not known (imported history)'
      : `${Math.round(latest.responseRate * 100)} %`;

  const summary = `<section class="card keep" aria-labelledby="summary-h">
  <h2 id="summary-h">Latest round</h2>
  <ul class="facts">
    <li>Round<strong>${esc(period(latest.round))}</strong></li>
    <li>People who answered<strong id="respondents">${latest.respondents}</strong></li>
    <li>Response rate<strong id="response-rate">${esc(rate)}</strong></li>
  </ul>
  <p>Where the team sits: <strong>${esc(latest.quadrant ? (QUADRANT_WORDS[latest.quadrant] ?? latest.quadrant) : 'unknown')}</strong>.</p>
  ${PRINT_NOTE}
</section>`;

  const why = `<section class="card keep" aria-labelledby="why-h">
  <h2 id="why-h">Why it was flagged, and what to try</h2>
  ${
    flags.length
      ? flags.map(flagCard).join('\n')
      : '<p>Nothing was flagged this round: no rule for micromanagement, abandonment, low safety, a split team, a decline, a perception gap or low participation was met.</p>'
  }
</section>`;

  const dimTable = `<table><caption>Scores on ${scale.min} to ${scale.max} with 90 % intervals</caption>
<thead><tr><th scope="col">Dimension</th><th scope="col" class="num">Team mean</th><th scope="col" class="num">Team 90 % interval</th><th scope="col" class="num">Organisation mean</th><th scope="col" class="num">Organisation 90 % interval</th><th scope="col" class="num">0–100</th><th scope="col" class="num">Favourable</th><th scope="col" class="num">Agreement (rwg)</th></tr></thead>
<tbody>${dims
    .map(
      (d: Dimension) =>
        `<tr><th scope="row">${esc(d.name)}</th><td class="num">${two(d.mean)}</td><td class="num">${two(d.ciLow)}–${two(d.ciHigh)}</td><td class="num">${d.benchmark ? two(d.benchmark.mean) : 'not shown'}</td><td class="num">${d.benchmark ? `${two(d.benchmark.ciLow)}–${two(d.benchmark.ciHigh)}` : '–'}</td><td class="num">${typeof d.score === 'number' ? Math.round(d.score) : '–'}</td><td class="num">${pct(d.favourable)}</td><td class="num">${two(d.rwgJ)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const where = `<section class="card" aria-labelledby="where-h">
  <h2 id="where-h">Where the team stands against the organisation</h2>
  <p class="muted">Each bar is a 90 % interval: the team's true score very likely lies inside it. A dot is the mean. Over-control is the one dimension where higher is worse.</p>
  <div class="chart"><canvas id="chart-dimensions" role="img" aria-label="${esc(
    `Dimension means of ${name} with 90 % intervals against the organisation: ${dims
      .map(
        (d) =>
          `${d.name} ${two(d.mean)}${d.benchmark ? `, organisation ${two(d.benchmark.mean)}` : ''}`,
      )
      .join('; ')}. The table below has every number.`,
  )}"></canvas></div>
  ${numbers('Scores as a table', dimTable)}
</section>`;

  const rounds = report.trends;
  const trendTable = `<table><caption>Team means per round (90 % interval)</caption>
<thead><tr><th scope="col">Round</th>${dims.map((d) => `<th scope="col" class="num">${esc(d.name)}</th>`).join('')}<th scope="col" class="num">People</th></tr></thead>
<tbody>${rounds
    .map((t) => {
      if (!t.shown)
        return `<tr><th scope="row">${esc(t.round.periodStart)}</th><td colspan="${dims.length + 1}" class="suppressed">${esc(t.message)}</td></tr>`;
      return `<tr><th scope="row">${esc(t.round.periodStart)}</th>${dims
        .map((d) => {
          const r = t.dimensions.find((x) => x.key === d.key);
          return `<td class="num">${r ? `${two(r.mean)} (${two(r.ciLow)}–${two(r.ciHigh)})` : '–'}</td>`;
        })
        .join('')}<td class="num">${t.respondents}</td></tr>`;
    })
    .join('')}</tbody></table>`;
  const trendCharts = dims
    .map((d) => {
      const values = rounds
        .map((t) =>
          t.shown
            ? `${t.round.periodStart} ${two(t.dimensions.find((x) => x.key === d.key)?.mean)}`
            : null,
        )
        .filter((x) => x !== null);
      return `<div><h3>${esc(d.name)}</h3><div class="chart small"><canvas id="chart-trend-${esc(d.key)}" role="img" aria-label="${esc(`${d.name} over rounds, team mean with its 90 % interval band: ${values.join('; ')}`)}"></canvas></div></div>`;
    })
    .join('');
  const path = rounds.filter(
    (t): t is ShownRound => t.shown && t.autonomy !== null && t.alignment !== null,
  );
  const quadTable = `<table><caption>Autonomy and alignment per round (1 to 5)</caption>
<thead><tr><th scope="col">Round</th><th scope="col" class="num">Autonomy</th><th scope="col" class="num">Alignment</th><th scope="col">Quadrant</th></tr></thead>
<tbody>${path
    .map(
      (t) =>
        `<tr><th scope="row">${esc(t.round.periodStart)}</th><td class="num">${two(t.autonomy)}</td><td class="num">${two(t.alignment)}</td><td>${esc(t.quadrant ? (QUADRANT_WORDS[t.quadrant] ?? t.quadrant).split(':')[0] : '–')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const how = `<section class="card" aria-labelledby="how-h">
  <h2 id="how-h">How it got here</h2>
  <p class="muted">The line is the team mean per round; the shaded band its 90 % interval. Rounds with too few answers leave a gap.</p>
  <div class="grid two">${trendCharts}</div>
  ${numbers('Trends as a table', trendTable)}
  <h3 id="quadrant-h">Autonomy and alignment</h3>
  <p class="muted">Right is more room to decide, up is more shared direction; the dashed lines at 3.5 split aligned autonomy (top right), abandonment risk (bottom right), micromanagement risk (top left) and adrift (bottom left). The line follows the team round by round; the big dot is the latest round.</p>
  <div class="chart"><canvas id="chart-quadrant" role="img" aria-label="${esc(
    `Autonomy against alignment, round by round: ${path
      .map(
        (t) => `${t.round.periodStart} autonomy ${two(t.autonomy)}, alignment ${two(t.alignment)}`,
      )
      .join(
        '; ',
      )}. Latest: ${latest.quadrant ? (QUADRANT_WORDS[latest.quadrant] ?? latest.quadrant) : 'unknown'}.`,
  )}"></canvas></div>
  ${numbers('Quadrant path as a table', quadTable)}
</section>`;

  const labels =
    (scale as { labels?: string[] }).labels ??
    Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i));
  const byDimension = dims
    .map((d) => ({ d, its: items.filter((i) => i.dimension === d.key) }))
    .filter((g) => g.its.length > 0);
  const answers = `<section class="card" aria-labelledby="answers-h">
  <h2 id="answers-h">What people answered</h2>
  <p class="muted">How many people chose each answer, statement by statement. "(reversed)" marks statements worded the other way round, where agreeing is the unfavourable answer.</p>
  ${byDimension
    .map(
      ({ d, its }) => `<h3>${esc(d.name)}</h3>
  <div class="chart"><canvas id="chart-items-${esc(d.key)}" role="img" aria-label="${esc(
    `Answers to the ${d.name} statements: ${its
      .map((i) => `${i.text}: ${i.distribution.map((c, j) => `${c} ${labels[j] ?? j}`).join(', ')}`)
      .join('. ')}`,
  )}"></canvas></div>
  ${numbers(
    `${d.name} answers as a table`,
    `<table><caption>${esc(d.name)}: people per answer</caption><thead><tr><th scope="col">Statement</th>${labels
      .map((l) => `<th scope="col" class="num">${esc(l)}</th>`)
      .join('')}<th scope="col" class="num">Mean</th></tr></thead><tbody>${its
      .map(
        (i) =>
          `<tr><th scope="row">${esc(i.text)}${i.reverse ? ' <span class="muted">(reversed)</span>' : ''}</th>${i.distribution
            .map((c) => `<td class="num">${c}</td>`)
            .join('')}<td class="num">${two(i.mean)}</td></tr>`,
      )
      .join('')}</tbody></table>`,
  )}`,
    )
    .join('\n')}
</section>`;

  const commitmentsHtml = commitments
    ? commitmentsSection(
        commitments.unitId,
        commitments.list,
        dims.map((d) => ({ key: d.key, name: d.name })),
        flags.map((f) => ({ code: f.code, title: FLAG_TITLES[f.code as FlagCode] ?? f.code })),
        commitments.form,
      )
    : '';
  return layout(
    title,
    `${head}${summary}${why}${commitmentsHtml}${where}${how}${answers}`,
    viewer,
    {
      kind: 'unit',
      report,
    },
  );
}

// ---------------------------------------------------------------- refusals

const PROBLEMS: Record<number, { title: string; text: string }> = {
  400: {
    title: 'This address is not valid',
    text: 'The link you followed is incomplete or mistyped.',
  },
  401: { title: 'Please sign in', text: 'Sign in to see this report.' },
  403: {
    title: 'You do not have access to this report',
    text: 'Leaders see the teams they lead and the units below them; HR and administrators see the whole organisation.',
  },
  404: {
    title: 'Not found',
    text: 'There is no such report, or it belongs to another organisation.',
  },
  429: { title: 'Too many requests', text: 'Wait a minute and try again.' },
};

export function problemPage(status: number, viewer?: Viewer): string {
  const p = PROBLEMS[status] ?? { title: 'Something went wrong', text: 'Try again in a moment.' };
  const link =
    status === 401
      ? '<p><a href="/sign-in">Sign in</a></p>'
      : '<p><a href="/app">Back to my teams</a></p>';
  return layout(
    p.title,
    `<h1>${esc(p.title)}</h1><section class="card"><p>${esc(p.text)}</p>${link}</section>`,
    viewer,
  );
}
