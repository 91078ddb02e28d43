/**
 * The charts of the report pages, drawn with Chart.js (bundled into /assets/report.js by
 * scripts/build-assets.mjs). The server renders every canvas with its aria-label and a table of
 * the same numbers beside it, so the page reads the same without this script; the script only
 * draws. Its data comes from <Layout data={…}> (#page-data), typed in report-data.ts.
 */
import { Chart, registerables, type ChartDataset, type Plugin, type TooltipItem } from 'chart.js';
import type {
  ChartItem,
  ChartParticipation,
  ChartRound,
  ReportPageData,
  UnitReportData,
} from './report-data';

declare global {
  interface Window {
    /** Chart.js, for the console and for tests that read what each canvas holds (Chart.getChart). */
    Chart?: typeof Chart;
  }
}

Chart.register(...registerables);

const INK = '#1b1f24';
const MUTED = '#4a5561';
const ACCENT = '#0b5cad';
const ORG = '#8a4b00';
const GRID = '#d0d7de';

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = INK;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;

type UnitReport = UnitReportData['report'];
type ShownRound = Extract<ChartRound, { shown: true }>;

const canvas = (id: string) => {
  const el = document.getElementById(id);
  return el instanceof HTMLCanvasElement ? el : null;
};
const fmt = (x: number | null | undefined) =>
  x === null || x === undefined ? '–' : Number(x).toFixed(2);
const narrow = () => window.matchMedia('(max-width: 40rem)').matches;

/** A label broken into lines of about `width` characters, for long statements on a phone. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (next.length > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

const interval = (low: number | null, high: number | null): [number, number] | null =>
  low === null || high === null ? null : [low, high];

/** The scale a dimension's figures are on: its own, else the instrument's. */
function scaleOf(
  report: UnitReport,
  dimension: string,
): { min: number; max: number; labels?: string[] } {
  return (
    report.dimensionScales.find((d) => d.dimension === dimension)?.scale ??
    report.scale ?? { min: 1, max: 5 }
  );
}

/** (a) Each dimension's team mean and 90 % interval against the organisation's. */
function dimensionsChart(report: UnitReport): void {
  const el = canvas('chart-dimensions');
  if (!el || !report.latest) return;
  const dims = report.latest.dimensions;
  const scale = report.scale ?? { min: 1, max: 5 };
  // Dimensions on different scales share one axis only as 0–100 ((x − lo) / (hi − lo) × 100,
  // linear, so intervals convert end by end); on one scale the axis is that scale.
  const mixed = dims.some((d) => {
    const s = scaleOf(report, d.key);
    return s.min !== scale.min || s.max !== scale.max;
  });
  const on = (key: string) => (v: number | null) => {
    if (v === null || !mixed) return v;
    const s = scaleOf(report, key);
    return ((v - s.min) / (s.max - s.min)) * 100;
  };
  const span = (key: string, low: number | null, high: number | null) =>
    interval(on(key)(low), on(key)(high));
  const axis = mixed ? { min: 0, max: 100 } : scale;
  type Point = number | [number, number] | null;
  const datasets: ChartDataset<'bar' | 'line', Point[]>[] = [
    {
      type: 'bar',
      label: 'Team: 90 % interval',
      data: dims.map((d) => span(d.key, d.ciLow, d.ciHigh)),
      backgroundColor: 'rgba(11,92,173,0.35)',
      borderColor: ACCENT,
      borderWidth: 1,
      barPercentage: 0.5,
      categoryPercentage: 0.9,
      grouped: false,
      order: 3,
    },
    {
      type: 'line',
      label: 'Team mean',
      data: dims.map((d) => on(d.key)(d.mean)),
      showLine: false,
      pointStyle: 'circle',
      pointRadius: 6,
      pointBackgroundColor: ACCENT,
      pointBorderColor: '#fff',
      borderColor: ACCENT,
      order: 1,
    },
    {
      type: 'bar',
      label: 'Organisation: 90 % interval',
      data: dims.map((d) =>
        d.benchmark ? span(d.key, d.benchmark.ciLow, d.benchmark.ciHigh) : null,
      ),
      backgroundColor: 'rgba(138,75,0,0.18)',
      borderColor: ORG,
      borderWidth: 1,
      barPercentage: 0.9,
      categoryPercentage: 0.9,
      grouped: false,
      order: 4,
    },
    {
      type: 'line',
      label: 'Organisation mean',
      data: dims.map((d) => on(d.key)(d.benchmark?.mean ?? null)),
      showLine: false,
      pointStyle: 'rectRot',
      pointRadius: 6,
      pointBackgroundColor: ORG,
      pointBorderColor: '#fff',
      borderColor: ORG,
      order: 2,
    },
  ];
  new Chart<'bar' | 'line', Point[], string>(el, {
    type: 'bar',
    data: { labels: dims.map((d) => d.name), datasets },
    options: {
      indexAxis: 'y',
      scales: {
        x: {
          min: axis.min,
          max: axis.max,
          title: {
            display: true,
            text: mixed
              ? 'Score (0 to 100: each dimension on its own scale)'
              : `Mean (${scale.min} to ${scale.max})`,
          },
          grid: { color: GRID },
        },
        y: { grid: { display: false } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14, usePointStyle: true } },
        tooltip: {
          callbacks: {
            label: (c: TooltipItem<'bar' | 'line'>) => {
              const v = c.raw as Point;
              return `${c.dataset.label}: ${Array.isArray(v) ? `${fmt(v[0])} to ${fmt(v[1])}` : fmt(v)}`;
            },
          },
        },
      },
    },
  });
}

/** (b) One small chart per dimension: the team mean per round inside its interval band. */
function trendCharts(report: UnitReport): void {
  const rounds = report.trends;
  const labels = rounds.map((t) => t.round.periodStart);
  const keys = report.latest?.dimensions.map((d) => d.key) ?? [];
  for (const key of keys) {
    const scale = scaleOf(report, key);
    const el = canvas(`chart-trend-${key}`);
    if (!el) continue;
    const pick = (field: 'mean' | 'ciLow' | 'ciHigh') =>
      rounds.map((t) =>
        t.shown ? (t.dimensions.find((x) => x.key === key)?.[field] ?? null) : null,
      );
    new Chart(el, {
      type: 'line',
      data: {
        labels,
        datasets: [
          {
            label: '90 % interval, upper end',
            data: pick('ciHigh'),
            borderWidth: 0,
            pointRadius: 0,
            fill: false,
            borderColor: 'rgba(0,0,0,0)',
          },
          {
            label: '90 % interval',
            data: pick('ciLow'),
            borderWidth: 0,
            pointRadius: 0,
            fill: '-1',
            backgroundColor: 'rgba(11,92,173,0.2)',
            borderColor: 'rgba(0,0,0,0)',
          },
          {
            label: 'Team mean',
            data: pick('mean'),
            borderColor: ACCENT,
            backgroundColor: ACCENT,
            pointRadius: 4,
            borderWidth: 2,
            fill: false,
          },
        ],
      },
      options: {
        scales: {
          y: { min: scale.min, max: scale.max, grid: { color: GRID } },
          x: { grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          tooltip: { filter: (item) => item.datasetIndex === 2 },
        },
      },
    });
  }
}

/** The dashed midpoint lines and the four quadrant names, drawn under the path. */
const quadrantLines: Plugin<'scatter'> = {
  id: 'quadrantLines',
  beforeDatasetsDraw(chart) {
    const { x, y } = chart.scales;
    const ctx = chart.ctx;
    const mx = x.getPixelForValue(3.5);
    const my = y.getPixelForValue(3.5);
    ctx.save();
    ctx.strokeStyle = MUTED;
    ctx.lineWidth = 1;
    ctx.setLineDash([5, 4]);
    ctx.beginPath();
    ctx.moveTo(mx, y.top);
    ctx.lineTo(mx, y.bottom);
    ctx.moveTo(x.left, my);
    ctx.lineTo(x.right, my);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = MUTED;
    ctx.font = '600 11px system-ui, sans-serif';
    const label = (lines: string[], px: number, top: boolean, align: CanvasTextAlign) => {
      ctx.textAlign = align;
      ctx.textBaseline = 'top';
      const start = top ? y.top + 4 : y.bottom - 4 - lines.length * 13;
      lines.forEach((line, i) => ctx.fillText(line, px, start + i * 13));
    };
    label(['aligned', 'autonomy'], x.right - 4, true, 'right');
    label(['abandonment', 'risk'], x.right - 4, false, 'right');
    label(['micromanagement', 'risk'], x.left + 4, true, 'left');
    label(['adrift'], x.left + 4, false, 'left');
    ctx.restore();
  },
};

/** (c) Autonomy against alignment, round by round; the latest round is the big dot. */
function quadrantChart(report: UnitReport): void {
  const el = canvas('chart-quadrant');
  if (!el) return;
  const path = report.trends.filter(
    (t): t is ShownRound & { autonomy: number; alignment: number } =>
      t.shown && t.autonomy !== null && t.alignment !== null,
  );
  const axis = (text: string) => ({
    min: 1,
    max: 5,
    title: { display: true, text },
    grid: { color: GRID },
  });
  new Chart(el, {
    type: 'scatter',
    data: {
      labels: path.map((t) => t.round.periodStart),
      datasets: [
        {
          label: 'The team, round by round',
          data: path.map((t) => ({ x: t.autonomy, y: t.alignment })),
          showLine: true,
          borderColor: ACCENT,
          backgroundColor: ACCENT,
          borderWidth: 2,
          pointRadius: path.map((_, i) => (i === path.length - 1 ? 7 : 4)),
        },
      ],
    },
    options: {
      scales: { x: axis('Autonomy (room to decide)'), y: axis('Alignment') },
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (c) =>
              `${path[c.dataIndex].round.periodStart}: autonomy ${fmt(c.parsed.x)}, alignment ${fmt(c.parsed.y)}`,
          },
        },
      },
    },
    plugins: [quadrantLines],
  });
}

/**
 * An answer's colour says how it reads for the team (server-side `tones`, after reverse keying and
 * the dimension's direction), not which end of the scale it is; the page's legend says so.
 */
const TONE_COLOURS: Record<ChartItem['tones'][number], string> = {
  favourable: '#2166ac',
  neutral: '#9a9a9a',
  unfavourable: '#b2182b',
};

/** (d) How many people chose each answer, statement by statement, one chart per dimension. */
function itemCharts(report: UnitReport): void {
  const groups = new Map<string, ChartItem[]>();
  for (const item of report.items)
    groups.set(item.dimension, [...(groups.get(item.dimension) ?? []), item]);
  for (const [dimension, items] of groups) {
    const scale = scaleOf(report, dimension);
    const el = canvas(`chart-items-${dimension}`);
    if (!el) continue;
    const points = items[0].distribution.length;
    const width = narrow() ? 18 : 48;
    const lines = items.reduce((sum, item) => sum + wrap(item.text, width).length, 0);
    // The chart grows with its statements; a CSSOM change, which the CSP allows.
    if (el.parentElement)
      el.parentElement.style.height = `${90 + lines * 16 + items.length * 18}px`;
    new Chart(el, {
      type: 'bar',
      data: {
        labels: items.map((item) =>
          wrap(`${item.text}${item.reverse ? ' (reversed)' : ''}`, width),
        ),
        datasets: Array.from({ length: points }, (_, j) => ({
          label: scale.labels?.[j] ?? String(scale.min + j),
          data: items.map((item) => item.distribution[j]),
          backgroundColor: items.map((item) => TONE_COLOURS[item.tones[j] ?? 'neutral']),
          borderColor: '#fff',
          borderWidth: 1,
        })),
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            stacked: true,
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: 'People' },
            grid: { color: GRID },
          },
          y: {
            stacked: true,
            grid: { display: false },
            ticks: { autoSkip: false, font: { size: narrow() ? 11 : 12 } },
          },
        },
        // The colour key is the page's (favourable / neutral / unfavourable): a dataset is an
        // answer value, whose colour differs between statements, so Chart.js's legend would mislead.
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (c: TooltipItem<'bar'>) =>
                `${c.dataset.label ?? ''}: ${c.parsed.x} (${items[c.dataIndex].tones[c.datasetIndex] ?? 'neutral'})`,
            },
          },
        },
      },
    });
  }
}

/** Line colours for campaigns after the first two, all readable on white. */
const CAMPAIGN_COLOURS = [ACCENT, ORG, '#2f7d32', '#7b3fa0', '#a3203a', MUTED];

/**
 * The overview: people who answered per round, and the response rate where it is known, one
 * line per campaign: a pilot round of one team sits on its own line instead of looking like the
 * whole organisation stopped answering.
 */
function participationChart(rounds: ChartParticipation[]): void {
  const el = canvas('chart-participation');
  if (!el) return;
  const rated = rounds.some((r) => r.responseRate !== null);
  const campaigns = [...new Set(rounds.map((r) => r.campaign))];
  const several = campaigns.length > 1;
  const datasets: ChartDataset<'line', (number | null)[]>[] = [];
  campaigns.forEach((campaign, i) => {
    const colour = CAMPAIGN_COLOURS[i % CAMPAIGN_COLOURS.length];
    const mine = (value: (r: ChartParticipation) => number | null) =>
      rounds.map((r) => (r.campaign === campaign ? value(r) : null));
    const suffix = several ? ` · ${campaign}` : '';
    datasets.push({
      label: `People who answered${suffix}`,
      data: mine((r) => r.respondents),
      borderColor: colour,
      backgroundColor: colour,
      yAxisID: 'y',
      pointRadius: 4,
      spanGaps: true,
    });
    if (rated)
      datasets.push({
        label: `Response rate (%)${suffix}`,
        data: mine((r) =>
          r.responseRate === null ? null : Math.round(r.responseRate * 1000) / 10,
        ),
        borderColor: several ? colour : ORG,
        backgroundColor: several ? colour : ORG,
        borderDash: [6, 4],
        yAxisID: 'rate',
        pointRadius: 4,
        spanGaps: true,
      });
  });
  new Chart<'line', (number | null)[], string>(el, {
    type: 'line',
    data: { labels: rounds.map((r) => r.periodStart), datasets },
    options: {
      scales: {
        y: {
          beginAtZero: true,
          ticks: { precision: 0 },
          title: { display: true, text: 'People' },
          grid: { color: GRID },
        },
        x: { grid: { display: false } },
        ...(rated
          ? {
              rate: {
                type: 'linear' as const,
                position: 'right' as const,
                min: 0,
                max: 100,
                title: { display: true, text: 'Response rate (%)' },
                grid: { display: false },
              },
            }
          : {}),
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

function pageData(): ReportPageData | null {
  const json = document.getElementById('page-data')?.dataset.json;
  return json ? (JSON.parse(json) as ReportPageData) : null;
}

function draw(data: ReportPageData): void {
  if (data.kind === 'unit') {
    dimensionsChart(data.report);
    trendCharts(data.report);
    quadrantChart(data.report);
    itemCharts(data.report);
  } else {
    participationChart(data.participation);
  }
}

/** Printing: every table opened, every chart fitted to the A4 layout, and back afterwards. */
function resizeAll(): void {
  for (const chart of Object.values(Chart.instances)) chart.resize();
}

window.Chart = Chart;
const data = pageData();
if (data) draw(data);
window.addEventListener('beforeprint', () => {
  document.querySelectorAll('details').forEach((d) => (d.open = true));
  resizeAll();
});
window.addEventListener('afterprint', resizeAll);
