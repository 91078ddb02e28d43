import type { ComponentChildren } from 'preact';
import { defaultExportValues, ExportForm } from '../exports/export-form';
import { EXPORT_EXPLANATION } from '../exports/exports.page';
import { NotificationsCard } from '../notifications/notifications-card';
import { TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import type { OrganisationOverview, ParticipationRound } from './organisation-overview.service';
import { Heatmap } from './heatmap';
import { pct } from './report-format';
import { RoundPicker } from './round-picker';
import { OrganisationStatistics, RoundBasisNote } from './statistics';

/** What the organisation's charts script reads from the page (report.browser.ts shares it). */
export interface OrganisationChartData {
  kind: 'organisation';
  organisationId: string;
  heatmap: OrganisationOverview['heatmap'];
  participation: (ParticipationRound & { campaign: string })[];
}

/**
 * What a round belongs to, as the participation table and chart name it: its campaign; imported
 * history has none, so an import that covered fewer teams than the widest import (a pilot, a
 * single team's history) is named apart from the rest, and is drawn on a line of its own.
 */
function campaignNamer(participation: ParticipationRound[]): (p: ParticipationRound) => string {
  const widest = Math.max(
    0,
    ...participation.filter((p) => p.campaignId === null).map((p) => p.teams),
  );
  return (p) =>
    p.campaignName ??
    (p.source !== 'import'
      ? 'no campaign'
      : p.teams < widest
        ? 'imported history, some teams only'
        : 'imported history');
}

export { HEAT_WORDS, heatStep } from './heatmap';

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

function Participation({ participation }: { participation: ParticipationRound[] }) {
  const campaignOf = campaignNamer(participation);
  return (
    <section class="card" aria-labelledby="part-h">
      <h2 id="part-h">Participation over time</h2>
      <p class="muted">
        Per campaign: a round that asked only some teams (a pilot, say) has its own line, so it does
        not look as if the organisation stopped answering.
      </p>
      {participation.length ? (
        <>
          <div class="chart">
            <canvas
              id="chart-participation"
              role="img"
              aria-label={`People who answered per round: ${participation
                .map(
                  (p) =>
                    `${p.periodStart} ${campaignOf(p)} ${p.respondents}${p.responseRate === null ? '' : ` (${pct(p.responseRate)})`}`,
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
                  <th scope="col">Campaign</th>
                  <th scope="col" class="num">
                    Teams
                  </th>
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
                    <td>{campaignOf(p)}</td>
                    <td class="num">{p.teams}</td>
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
    participation: overview.participation.map((p) => ({
      ...p,
      campaign: campaignNamer(overview.participation)(p),
    })),
  };
  return (
    <Layout
      title={title}
      skipLabel="Skip to the overview"
      scripts={overview.participation.length ? ['report.js'] : []}
      data={data}
    >
      <h1>{title}</h1>
      <RoundPicker
        action={consolePaths.overview(overview.organisation.id)}
        rounds={overview.rounds}
        selectedId={overview.heatmap.round?.id ?? null}
      />
      <RoundBasisNote basis={overview.heatmap.basis} />
      <Heatmap overview={overview} />
      {overview.heatmap.round ? (
        <OrganisationStatistics
          statistics={overview.heatmap.statistics}
          dimensions={overview.heatmap.dimensions}
          explain
          cutoff={overview.heatmap.basis?.agreementCutoff ?? 0.7}
        />
      ) : null}
      <Participation participation={overview.participation} />
      <NotificationsCard notifications={overview.notifications} />
      <ExportCard overview={overview} today={today} />
    </Layout>
  );
}
