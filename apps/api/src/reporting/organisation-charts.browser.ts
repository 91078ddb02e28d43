/**
 * The organisation overview's participation chart, drawn with Chart.js from the numbers the page
 * carries in #page-data (the same participation the table beside it shows, so nothing needs
 * this script to be read). Bundled to /assets/organisation-charts.js by scripts/build-assets.mjs.
 */
import {
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
  type ChartOptions,
} from 'chart.js';

Chart.register(
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

interface ParticipationRound {
  periodStart: string;
  respondents: number;
  responseRate: number | null;
}

interface OrganisationData {
  kind: 'organisation';
  organisationId: string;
  participation: ParticipationRound[];
}

const INK = '#1b1f24';
const ACCENT = '#0b5cad';
const ORG = '#8a4b00';
const GRID = '#d0d7de';

Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = INK;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.responsive = true;

function participationChart(rounds: ParticipationRound[]): void {
  const el = document.getElementById('chart-participation');
  if (!(el instanceof HTMLCanvasElement)) return;
  const rated = rounds.some((r) => r.responseRate !== null);
  const datasets: ChartDataset<'line', (number | null)[]>[] = [
    {
      label: 'People who answered',
      data: rounds.map((r) => r.respondents),
      borderColor: ACCENT,
      backgroundColor: ACCENT,
      yAxisID: 'y',
      pointRadius: 4,
    },
  ];
  const scales: NonNullable<ChartOptions<'line'>['scales']> = {
    y: {
      beginAtZero: true,
      ticks: { precision: 0 },
      title: { display: true, text: 'People' },
      grid: { color: GRID },
    },
    x: { grid: { display: false } },
  };
  if (rated) {
    datasets.push({
      label: 'Response rate (%)',
      data: rounds.map((r) =>
        r.responseRate === null ? null : Math.round(r.responseRate * 1000) / 10,
      ),
      borderColor: ORG,
      backgroundColor: ORG,
      borderDash: [6, 4],
      yAxisID: 'rate',
      pointRadius: 4,
    });
    scales.rate = {
      position: 'right',
      min: 0,
      max: 100,
      title: { display: true, text: 'Response rate (%)' },
      grid: { display: false },
    };
  }
  new Chart(el, {
    type: 'line',
    data: { labels: rounds.map((r) => r.periodStart), datasets },
    options: { scales, plugins: { legend: { position: 'bottom' } } },
  });
}

function resizeAll(): void {
  for (const chart of Object.values(Chart.instances)) chart.resize();
}

const source = document.getElementById('page-data')?.dataset.json;
if (source) {
  const data = JSON.parse(source) as OrganisationData | { kind: string };
  if (data.kind === 'organisation') participationChart((data as OrganisationData).participation);
}
// As Chart.js's own UMD build does: the charts can be inspected (devtools, the browser tests).
(window as unknown as { Chart: typeof Chart }).Chart = Chart;
window.addEventListener('beforeprint', () => {
  document.querySelectorAll('details').forEach((d) => (d.open = true));
  resizeAll();
});
window.addEventListener('afterprint', resizeAll);
