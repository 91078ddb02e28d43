import type { NotificationView } from '@trellis/notifications';
import { createHash } from 'node:crypto';
import type { ReportsService } from '@trellis/reporting';
import type { OrganisationReportData } from '../reporting/report-data';
import { assetUrl } from '../views/assets';
import { exportCard } from './export-card';
import { notificationsCard } from './notifications-card';
import { esc, tableWrap } from './html';
import { REPORT_STYLE } from './report-pages.css';
import { pct, treeOrder, type TreeUnit } from '../reporting/report-format';
export { treeOrder, type TreeUnit };

export type Heatmap = Awaited<ReturnType<ReportsService['heatmap']>>;
export type ParticipationRound = Awaited<ReturnType<ReportsService['participation']>>[number];

export interface Viewer {
  name: string;
  /** The organisation overview, for HR and admins. */
  overviewHref?: string;
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Scripts only from this server (/assets/report.js); the one inline stylesheet by its hash. */
export const REPORT_CSP = [
  "default-src 'none'",
  "script-src 'self'",
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

export function layout(
  title: string,
  body: string,
  viewer?: Viewer,
  data?: OrganisationReportData,
  head = '',
): string {
  const nav = viewer
    ? `<form method="post" action="/sign-out"><span class="muted">${esc(viewer.name)}</span> <button class="link" type="submit">Sign out</button></form>`
    : '';
  // The charts' data in an attribute (escaped like any), drawn by the page layer's report.js.
  const scripts =
    data === undefined
      ? ''
      : `<div id="page-data" hidden data-json="${esc(JSON.stringify(data))}"></div>
<script src="${esc(assetUrl('report.js'))}" defer></script>`;
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

function numbers(label: string, table: string): string {
  return `<details><summary>${esc(label)}</summary>${tableWrap(label, table)}</details>`;
}

export function crumbs(viewer: Viewer): string {
  return `<nav class="crumbs" aria-label="Breadcrumb"><a href="/app">My teams</a>${
    viewer.overviewHref ? ` · <a href="${esc(viewer.overviewHref)}">Organisation overview</a>` : ''
  }</nav>`;
}

const PRINT_NOTE = `<p class="print-note muted">To keep a copy, use your browser's Print (Ctrl+P or ⌘P) and choose "Save as PDF": the report prints on A4 without the navigation.</p>`;

function period(round: { periodStart: string; periodEnd: string }): string {
  return `${round.periodStart} to ${round.periodEnd}`;
}

// ---------------------------------------------------------------- the organisation overview

const HIGHER_IS_WORSE = new Set(['over_control']);

/** Five colour steps from worst (h0) to best (h4); over-control inverted. All keep dark text readable. */
function heatClass(dimension: string, score: number): string {
  const good = HIGHER_IS_WORSE.has(dimension) ? 100 - score : score;
  const step = good < 35 ? 0 : good < 50 ? 1 : good < 62.5 ? 2 : good < 75 ? 3 : 4;
  return `h${step}`;
}

const HEAT_WORDS = ['very low', 'low', 'middling', 'good', 'very good'];

export function organisationPage(
  orgName: string,
  orgId: string,
  heatmap: Heatmap,
  tree: TreeUnit[],
  participation: ParticipationRound[],
  viewer: Viewer,
  notifications: NotificationView[] = [],
): string {
  const title = `${orgName}: overview`;
  const head = `${crumbs({ ...viewer, overviewHref: undefined })}<h1>${esc(title)}</h1>`;
  const rows = new Map(heatmap.rows.map((r) => [r.unit.id, r]));
  const ordered = treeOrder(tree).filter((t) => rows.has(t.unit.id));
  const dims = heatmap.dimensions;

  const heat = heatmap.round
    ? `<section class="card keep" aria-labelledby="heat-h">
  <h2 id="heat-h">Team health, round ${esc(period(heatmap.round))}</h2>
  <p class="muted">Scores from 0 to 100 (the mean on the answer scale, stretched to 0–100). The colour says how good a score is: for over-control a low score is good, so its colours run the other way. Groups with fewer than ${heatmap.minimumGroupSize ?? 5} answers are not shown.</p>
  <ul class="legend" aria-label="Colour key">${HEAT_WORDS.map((w, i) => `<li class="h${i}">${esc(w)}</li>`).join('')}</ul>
  ${tableWrap(
    'Heatmap',
    `<table class="heat"><caption>Units by dimension, scores 0–100</caption>
<thead><tr><th scope="col">Unit</th><th scope="col" class="num">People</th>${dims
      .map((d) => `<th scope="col" class="num">${esc(d.name)}</th>`)
      .join('')}</tr></thead>
<tbody>${ordered
      .map(({ unit, depth }) => {
        const row = rows.get(unit.id)!;
        const name = `<th scope="row" class="d${Math.min(depth, 4)}"><a href="/app/units/${esc(unit.id)}/report">${esc(unit.name)}</a> <span class="muted">${esc(unit.kind)}</span></th>`;
        if (!row.shown)
          return `<tr data-unit="${esc(unit.id)}">${name}<td class="num">${row.respondents}</td><td colspan="${dims.length}" class="suppressed">${esc(row.message)}</td></tr>`;
        return `<tr data-unit="${esc(unit.id)}">${name}<td class="num">${row.respondents}</td>${dims
          .map((d) => {
            const cell = row.cells[d.key];
            if (!cell || typeof cell.score !== 'number') return '<td class="cell">–</td>';
            const cls = heatClass(d.key, cell.score);
            return `<td class="cell ${cls}" title="${esc(`${d.name}: ${HEAT_WORDS[Number(cls.slice(1))]}`)}">${Math.round(cell.score)}</td>`;
          })
          .join('')}</tr>`;
      })
      .join('')}</tbody></table>`,
  )}
</section>`
    : `<section class="card"><h2>Team health</h2><p>No round has closed yet, so there is nothing to show.</p></section>`;

  const partTable = `<table><caption>People who answered per round</caption><thead><tr><th scope="col">Round</th><th scope="col">Source</th><th scope="col" class="num">People</th><th scope="col" class="num">Invited</th><th scope="col" class="num">Response rate</th></tr></thead><tbody>${participation
    .map(
      (p) =>
        `<tr><th scope="row">${esc(p.periodStart)}</th><td>${esc(p.source)}</td><td class="num">${p.respondents}</td><td class="num">${p.invited ?? '–'}</td><td class="num">${pct(p.responseRate)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const part = `<section class="card" aria-labelledby="part-h">
  <h2 id="part-h">Participation over time</h2>
  ${
    participation.length
      ? `<div class="chart"><canvas id="chart-participation" role="img" aria-label="${esc(
          `People who answered per round: ${participation
            .map(
              (p) =>
                `${p.periodStart} ${p.respondents}${p.responseRate === null ? '' : ` (${pct(p.responseRate)})`}`,
            )
            .join('; ')}`,
        )}"></canvas></div>${numbers('Participation as a table', partTable)}`
      : '<p>No round yet.</p>'
  }
  ${PRINT_NOTE}
</section>`;

  return layout(
    title,
    `${head}${heat}${part}${notificationsCard(notifications)}${exportCard(orgId, treeOrder(tree))}`,
    viewer,
    {
      kind: 'organisation',
      organisationId: orgId,
      heatmap,
      participation,
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
