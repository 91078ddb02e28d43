import type { ComponentChildren } from 'preact';
import { defaultExportValues, ExportForm } from '../exports/export-form';
import { EXPORT_EXPLANATION } from '../exports/exports.page';
import { NotificationsCard } from '../notifications/notifications-card';
import { TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import type { OrganisationOverview, ParticipationRound } from './organisation-overview.service';
import { pct } from './report-format';

/** What the organisation's charts script reads from the page (report.browser.ts shares it). */
export interface OrganisationChartData {
  kind: 'organisation';
  organisationId: string;
  heatmap: OrganisationOverview['heatmap'];
  participation: ParticipationRound[];
}

const HIGHER_IS_WORSE = new Set(['over_control']);

export const HEAT_WORDS = ['very low', 'low', 'middling', 'good', 'very good'] as const;

/** Five colour steps from worst (0) to best (4); over-control inverted. All keep dark text readable. */
export function heatStep(dimension: string, score: number): number {
  const good = HIGHER_IS_WORSE.has(dimension) ? 100 - score : score;
  return good < 35 ? 0 : good < 50 ? 1 : good < 62.5 ? 2 : good < 75 ? 3 : 4;
}

function NumbersTable({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <details>
      <summary>{label}</summary>
      <TableWrap label={label}>{children}</TableWrap>
    </details>
  );
}

function PrintNote() {
  return (
    <p class="print-note muted">
      To keep a copy, use your browser's Print (Ctrl+P or ⌘P) and choose "Save as PDF": the page
      prints on A4 without the navigation.
    </p>
  );
}

function Heatmap({ overview }: { overview: OrganisationOverview }) {
  const { heatmap } = overview;
  if (!heatmap.round)
    return (
      <section class="card" aria-labelledby="heat-h">
        <h2 id="heat-h">Team health</h2>
        <p>No round has closed yet, so there is nothing to show.</p>
      </section>
    );
  const rows = new Map(heatmap.rows.map((r) => [r.unit.id, r]));
  const ordered = overview.units.filter((u) => rows.has(u.unit.id));
  const dims = heatmap.dimensions;
  return (
    <section class="card keep" aria-labelledby="heat-h">
      <h2 id="heat-h">
        Team health, round {heatmap.round.periodStart} to {heatmap.round.periodEnd}
      </h2>
      <p class="muted">
        Scores from 0 to 100 (the mean on the answer scale, stretched to 0–100). The colour says how
        good a score is: for over-control a low score is good, so its colours run the other way.
        Groups with fewer than {heatmap.minimumGroupSize ?? 5} answers are not shown.
      </p>
      <ul class="legend" aria-label="Colour key">
        {HEAT_WORDS.map((w, i) => (
          <li class={`h${i}`}>{w}</li>
        ))}
      </ul>
      <TableWrap label="Heatmap">
        <table class="heat">
          <caption>Units by dimension, scores 0–100</caption>
          <thead>
            <tr>
              <th scope="col">Unit</th>
              <th scope="col" class="num">
                People
              </th>
              {dims.map((d) => (
                <th scope="col" class="num">
                  {d.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {ordered.map(({ unit, depth }) => {
              const row = rows.get(unit.id)!;
              return (
                <tr data-unit={unit.id}>
                  <th scope="row" class={`d${Math.min(depth, 4)}`}>
                    <a href={consolePaths.unitReport(unit.id)}>{unit.name}</a>{' '}
                    <span class="muted">{unit.kind}</span>
                  </th>
                  <td class="num">{row.respondents}</td>
                  {row.shown ? (
                    dims.map((d) => {
                      const cell = row.cells[d.key];
                      if (!cell || typeof cell.score !== 'number') return <td class="cell">–</td>;
                      const step = heatStep(d.key, cell.score);
                      return (
                        <td class={`cell h${step}`} title={`${d.name}: ${HEAT_WORDS[step]}`}>
                          {Math.round(cell.score)}
                        </td>
                      );
                    })
                  ) : (
                    <td colSpan={dims.length} class="suppressed">
                      {row.message}
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function Participation({ participation }: { participation: ParticipationRound[] }) {
  return (
    <section class="card" aria-labelledby="part-h">
      <h2 id="part-h">Participation over time</h2>
      {participation.length ? (
        <>
          <div class="chart">
            <canvas
              id="chart-participation"
              role="img"
              aria-label={`People who answered per round: ${participation
                .map(
                  (p) =>
                    `${p.periodStart} ${p.respondents}${p.responseRate === null ? '' : ` (${pct(p.responseRate)})`}`,
                )
                .join('; ')}`}
            />
          </div>
          <NumbersTable label="Participation as a table">
            <table>
              <caption>People who answered per round</caption>
              <thead>
                <tr>
                  <th scope="col">Round</th>
                  <th scope="col">Source</th>
                  <th scope="col" class="num">
                    People
                  </th>
                  <th scope="col" class="num">
                    Invited
                  </th>
                  <th scope="col" class="num">
                    Response rate
                  </th>
                </tr>
              </thead>
              <tbody>
                {participation.map((p) => (
                  <tr>
                    <th scope="row">{p.periodStart}</th>
                    <td>{p.source}</td>
                    <td class="num">{p.respondents}</td>
                    <td class="num">{p.invited ?? '–'}</td>
                    <td class="num">{pct(p.responseRate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </NumbersTable>
        </>
      ) : (
        <p>No round yet.</p>
      )}
      <PrintNote />
    </section>
  );
}

function ExportCard({ overview, today }: { overview: OrganisationOverview; today?: Date }) {
  const orgId = overview.organisation.id;
  return (
    <section class="card" aria-labelledby="export-h">
      <h2 id="export-h">Download trend data</h2>
      <p class="muted">{EXPORT_EXPLANATION}</p>
      <ExportForm orgId={orgId} units={overview.units} values={defaultExportValues(today)} />
      <p>
        <a href={consolePaths.exports(orgId)}>Background exports</a>: the files prepared recently.
      </p>
    </section>
  );
}

/**
 * The organisation at a glance, for HR and admins: the heatmap of the latest round, participation
 * over time (a chart drawn by report.js, with its table beside it, so nothing needs
 * the script), flag notifications and the trend data download.
 */
export function OrganisationOverviewPage({
  overview,
  today,
}: {
  overview: OrganisationOverview;
  today?: Date;
}) {
  const title = `${overview.organisation.name}: overview`;
  const data: OrganisationChartData = {
    kind: 'organisation',
    organisationId: overview.organisation.id,
    heatmap: overview.heatmap,
    participation: overview.participation,
  };
  return (
    <Layout
      title={title}
      skipLabel="Skip to the overview"
      scripts={overview.participation.length ? ['report.js'] : []}
      data={data}
    >
      <h1>{title}</h1>
      <Heatmap overview={overview} />
      <Participation participation={overview.participation} />
      <NotificationsCard notifications={overview.notifications} />
      <ExportCard overview={overview} today={today} />
    </Layout>
  );
}
