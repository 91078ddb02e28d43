import type { ComponentChildren } from 'preact';
import type { ShownReportRound, TeamReportView } from '@trellis/reporting';
import { TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { RoundPicker } from './round-picker';
import {
  ComparisonCard,
  OrganisationStatistics,
  RoundBasisNote,
  TeamAgreement,
} from './statistics';
import { Commitments, type CommitmentFormState } from './commitments';
import { CommentsLink } from './comments.page';
import { Answers } from './distribution';
import { FlagCard, flagTitle } from './flag-card';
import type { UnitReportData } from './report-data';
import { pct, two, type DimensionNames } from './report-format';
import { QuadrantLine, quadrantWords, TeamsOverview } from './unit-summary';

const period = (round: { periodStart: string; periodEnd: string }) =>
  `${round.periodStart} to ${round.periodEnd}`;

/** A table of a chart's numbers, folded away on screen and opened when printing. */
function Numbers({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <details>
      <summary>{label}</summary>
      <TableWrap label={label}>{children}</TableWrap>
    </details>
  );
}

/** A chart the browser script draws; its label says every number, for people who cannot see it. */
function ChartCanvas({ id, label, small }: { id: string; label: string; small?: boolean }) {
  return (
    <div class={small ? 'chart small' : 'chart'}>
      <canvas id={id} role="img" aria-label={label} />
    </div>
  );
}

function PrintNote() {
  return (
    <p class="print-note muted">
      To keep a copy, use your browser's Print (Ctrl+P or ⌘P) and choose "Save as PDF": the report
      prints on A4 without the navigation.
    </p>
  );
}

type Dimension = ShownReportRound['dimensions'][number];

function Summary({
  latest,
  isLatest,
  groupOfTeams,
}: {
  latest: ShownReportRound;
  isLatest: boolean;
  groupOfTeams: boolean;
}) {
  const rate =
    latest.responseRate === null
      ? 'not known (imported history)'
      : `${Math.round(latest.responseRate * 100)} %`;
  return (
    <section class="card keep" aria-labelledby="summary-h">
      <h2 id="summary-h">{isLatest ? 'Latest round' : 'Chosen round'}</h2>
      <ul class="facts">
        <li>
          Round<strong>{period(latest.round)}</strong>
        </li>
        <li>
          People who answered
          <strong>
            <span id="respondents">{latest.respondents}</span>
            {latest.invited === null ? null : ` of ${latest.invited} invited`}
          </strong>
        </li>
        <li>
          Response rate<strong id="response-rate">{rate}</strong>
        </li>
      </ul>
      {groupOfTeams ? (
        <p class="muted">
          Counted per team: a person in two teams is invited, and answers, once for each.
        </p>
      ) : null}
      <QuadrantLine quadrant={latest.quadrant} groupOfTeams={groupOfTeams} />
      <PrintNote />
    </section>
  );
}

function Flags({ report, names }: { report: TeamReportView; names: DimensionNames }) {
  return (
    <section class="card keep" aria-labelledby="why-h">
      <h2 id="why-h">Why it was flagged, and what to try</h2>
      {report.flags.length ? (
        report.flags.map((flag) => <FlagCard flag={flag} names={names} />)
      ) : (
        <p>
          Nothing was flagged this round: no rule for micromanagement, abandonment, low safety, a
          split team, a decline, a perception gap or low participation was met.
        </p>
      )}
    </section>
  );
}

function Standing({
  name,
  dims,
  scale,
  scaleOf,
}: {
  name: string;
  dims: Dimension[];
  scale: Scale;
  scaleOf: (dimension: string) => Scale;
}) {
  // Dimensions on a scale of their own say so; the others are on the instrument's.
  const own = dims.filter((d) => {
    const s = scaleOf(d.key);
    return s.min !== scale.min || s.max !== scale.max;
  });
  const label = `Dimension means of ${name} with 90 % intervals against the organisation: ${dims
    .map(
      (d) =>
        `${d.name} ${two(d.mean)}${d.benchmark ? `, organisation ${two(d.benchmark.mean)}` : ''}`,
    )
    .join('; ')}. The table below has every number.`;
  return (
    <section class="card" aria-labelledby="where-h">
      <h2 id="where-h">Where the team stands against the organisation</h2>
      <p class="muted">
        Each bar is a 90 % interval: the team's true score very likely lies inside it. A dot is the
        mean. Over-control is the one dimension where higher is worse.
      </p>
      <p class="muted">
        In the table, favourable is the share of people on the healthy side of each dimension: a
        score of {scale.max - 1} or more, and for Over-control {scale.min + 1} or less (little
        control). The percentile is the share of the organisation's shown teams with a lower mean,
        so on Over-control a high percentile means more control than most teams.
      </p>
      <ChartCanvas id="chart-dimensions" label={label} />
      <Numbers label="Scores as a table">
        <table>
          <caption>
            Scores on {scale.min} to {scale.max}
            {own.length
              ? ` (${own.map((d) => `${d.name} on ${scaleOf(d.key).min} to ${scaleOf(d.key).max}`).join(', ')})`
              : ''}{' '}
            with 90 % intervals
          </caption>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col" class="num">
                Team mean
              </th>
              <th scope="col" class="num">
                Team 90 % interval
              </th>
              <th scope="col" class="num">
                Organisation mean
              </th>
              <th scope="col" class="num">
                Organisation 90 % interval
              </th>
              <th scope="col" class="num">
                0–100
              </th>
              <th scope="col" class="num">
                Favourable
              </th>
              <th scope="col" class="num">
                Percentile among teams
              </th>
              <th scope="col" class="num">
                Agreement (rwg)
              </th>
            </tr>
          </thead>
          <tbody>
            {dims.map((d) => (
              <tr>
                <th scope="row">{d.name}</th>
                <td class="num">{two(d.mean)}</td>
                <td class="num">{`${two(d.ciLow)}–${two(d.ciHigh)}`}</td>
                <td class="num">{d.benchmark ? two(d.benchmark.mean) : 'not shown'}</td>
                <td class="num">
                  {d.benchmark ? `${two(d.benchmark.ciLow)}–${two(d.benchmark.ciHigh)}` : '–'}
                </td>
                <td class="num">{typeof d.score === 'number' ? Math.round(d.score) : '–'}</td>
                <td class="num">{pct(d.favourable)}</td>
                <td class="num">
                  {typeof d.percentile === 'number' ? Math.round(d.percentile) : '–'}
                </td>
                <td class="num">
                  {two(d.rwgJ)}
                  {d.belowAgreement ? ' ◊ (low agreement)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Numbers>
    </section>
  );
}

type PathRound = ShownReportRound & { autonomy: number; alignment: number };

function History({ report, latest }: { report: TeamReportView; latest: ShownReportRound }) {
  const dims = latest.dimensions;
  const rounds = report.trends;
  const path = rounds.filter(
    (t): t is PathRound => t.shown && t.autonomy !== null && t.alignment !== null,
  );
  const meanIn = (t: ShownReportRound, key: string) => t.dimensions.find((x) => x.key === key);
  return (
    <section class="card" aria-labelledby="how-h">
      <h2 id="how-h">How it got here</h2>
      <p class="muted">
        The line is the team mean per round; the shaded band its 90 % interval. Rounds with too few
        answers leave a gap.
      </p>
      <div class="grid two">
        {dims.map((d) => (
          <div>
            <h3>{d.name}</h3>
            <ChartCanvas
              id={`chart-trend-${d.key}`}
              small
              label={`${d.name} over rounds, team mean with its 90 % interval band: ${rounds
                .flatMap((t) =>
                  t.shown ? [`${t.round.periodStart} ${two(meanIn(t, d.key)?.mean)}`] : [],
                )
                .join('; ')}`}
            />
          </div>
        ))}
      </div>
      <Numbers label="Trends as a table">
        <table>
          <caption>Team means per round (90 % interval)</caption>
          <thead>
            <tr>
              <th scope="col">Round</th>
              {dims.map((d) => (
                <th scope="col" class="num">
                  {d.name}
                </th>
              ))}
              <th scope="col" class="num">
                People
              </th>
            </tr>
          </thead>
          <tbody>
            {rounds.map((t) => (
              <tr>
                <th scope="row">{t.round.periodStart}</th>
                {t.shown ? (
                  <>
                    {dims.map((d) => {
                      const r = meanIn(t, d.key);
                      return (
                        <td class="num">
                          {r ? `${two(r.mean)} (${two(r.ciLow)}–${two(r.ciHigh)})` : '–'}
                        </td>
                      );
                    })}
                    <td class="num">{t.respondents}</td>
                  </>
                ) : (
                  <td colSpan={dims.length + 1} class="suppressed">
                    {t.message}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </Numbers>
      <h3 id="quadrant-h">Autonomy and alignment</h3>
      <p class="muted">
        Right is more room to decide, up is more shared direction; the dashed lines at 3.5 split
        aligned autonomy (top right), abandonment risk (bottom right), micromanagement risk (top
        left) and adrift (bottom left). The line follows the team round by round; the big dot is the
        latest round.
      </p>
      {path.length ? (
        <>
          <ChartCanvas
            id="chart-quadrant"
            label={`Autonomy against alignment, round by round: ${path
              .map(
                (t) =>
                  `${t.round.periodStart} autonomy ${two(t.autonomy)}, alignment ${two(t.alignment)}`,
              )
              .join('; ')}. Latest: ${quadrantWords(latest.quadrant)}.`}
          />
          <Numbers label="Quadrant path as a table">
            <table>
              <caption>Autonomy and alignment per round (1 to 5)</caption>
              <thead>
                <tr>
                  <th scope="col">Round</th>
                  <th scope="col" class="num">
                    Autonomy
                  </th>
                  <th scope="col" class="num">
                    Alignment
                  </th>
                  <th scope="col">Quadrant</th>
                </tr>
              </thead>
              <tbody>
                {path.map((t) => (
                  <tr>
                    <th scope="row">{t.round.periodStart}</th>
                    <td class="num">{two(t.autonomy)}</td>
                    <td class="num">{two(t.alignment)}</td>
                    <td>{t.quadrant ? quadrantWords(t.quadrant).split(':')[0] : '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Numbers>
        </>
      ) : (
        <p>
          No round has a position yet: it comes from this unit's own members, shown only when at
          least {report.minimumGroupSize} of them answered apart from the units below it.
        </p>
      )}
    </section>
  );
}

interface Scale {
  min: number;
  max: number;
  labels?: string[];
}

export interface UnitReportPageProps {
  report: TeamReportView;
  /** The commitment form sent back with its problems, as it was typed. */
  form?: CommitmentFormState;
}

/**
 * A team's (or unit's) report: the latest round, its flags in words with what to try, the
 * team's commitments, scores against the organisation, trends, the quadrant path and the
 * answers. Every number comes from TeamReportService (so from the anonymity decision); a hidden
 * group is its sentence and nothing else. Charts are drawn by report.browser.ts; each has its
 * numbers in its label and in a table beside it.
 */
export function UnitReportPage({ report, form }: UnitReportPageProps) {
  const name = report.unit.name;
  const title = report.teams ? `${name}: health of its teams` : `${name}: team health`;
  const latest = report.latest;
  const picker = (
    <RoundPicker
      action={consolePaths.unitReport(report.unit.id)}
      rounds={report.rounds}
      selectedId={latest?.round.id ?? null}
      compare={{ selectedId: report.comparison?.round.id ?? null }}
    />
  );
  if (!latest || !latest.shown) {
    return (
      <Layout title={title} skipLabel="Skip to the report">
        <h1>{title}</h1>
        {picker}
        <CommentsLink unitId={report.unit.id} />
        <section class="card">
          {latest ? (
            // A hidden group: the sentence and nothing else, not even its count.
            <p class="suppressed" id="suppressed">
              {latest.message}
            </p>
          ) : (
            <p>There are no results for {name} yet. Results appear after a round closes.</p>
          )}
        </section>
      </Layout>
    );
  }
  const dims = latest.dimensions;
  const cutoff = report.basis?.agreementCutoff ?? 0.7;
  const scale = report.scale ?? { min: 1, max: 5 };
  const scaleOf = (dimension: string) =>
    report.dimensionScales.find((d) => d.dimension === dimension)?.scale ?? scale;
  const data: UnitReportData = {
    kind: 'unit',
    report: {
      scale: report.scale,
      dimensionScales: report.dimensionScales,
      latest,
      trends: report.trends,
      items: report.items,
    },
  };
  const names = Object.fromEntries(dims.map((d) => [d.key, d.name]));
  const groupOfTeams = report.teams !== null;
  return (
    <Layout title={title} skipLabel="Skip to the report" scripts={['report.js']} data={data}>
      <h1>{title}</h1>
      <CommentsLink unitId={report.unit.id} />
      {picker}
      <RoundBasisNote basis={report.basis} />
      <Summary
        latest={latest}
        isLatest={latest.round.id === report.rounds.at(-1)?.id}
        groupOfTeams={groupOfTeams}
      />
      {report.teams ? <TeamsOverview summary={report.teams} /> : null}
      {report.comparison ? <ComparisonCard comparison={report.comparison} /> : null}
      {/* A group of teams has flags only from members of its own; its teams' flags are above. */}
      {!groupOfTeams || report.flags.length ? <Flags report={report} names={names} /> : null}
      <Commitments
        unitId={report.unit.id}
        commitments={report.commitments}
        dimensions={dims.map((d) => ({ key: d.key, name: d.name }))}
        flags={report.flags.map((f) => ({ code: f.code, title: flagTitle(f.code) }))}
        form={form}
      />
      <Standing name={name} dims={dims} scale={scale} scaleOf={scaleOf} />
      <History report={report} latest={latest} />
      <Answers report={report} dims={dims} scaleOf={scaleOf} />
      <TeamAgreement latest={latest} items={report.items} cutoff={cutoff} />
      <OrganisationStatistics
        statistics={report.statistics}
        dimensions={dims}
        explain
        cutoff={cutoff}
      />
    </Layout>
  );
}
