import type { ComponentChildren } from 'preact';
import type { ShownReportRound, TeamReportView } from '@trellis/reporting';
import { TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { Commitments, type CommitmentFormState } from './commitments';
import { FlagCard, flagTitle } from './flag-card';
import type { UnitReportData } from './report-data';
import { pct, two } from './report-format';

const QUADRANT_WORDS: Record<string, string> = {
  aligned_autonomy: 'aligned autonomy: room to decide and a shared direction (healthy)',
  abandonment_risk: 'abandonment risk: room to decide without shared direction',
  micromanagement_risk: 'micromanagement risk: a shared direction but little room to decide',
  adrift: 'adrift: neither room to decide nor a shared direction',
};

const quadrantWords = (q: string | null) => (q ? (QUADRANT_WORDS[q] ?? q) : 'unknown');

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

function Summary({ latest }: { latest: ShownReportRound }) {
  const rate =
    latest.responseRate === null
      ? 'not known (imported history)'
      : `${Math.round(latest.responseRate * 100)} %`;
  return (
    <section class="card keep" aria-labelledby="summary-h">
      <h2 id="summary-h">Latest round</h2>
      <ul class="facts">
        <li>
          Round<strong>{period(latest.round)}</strong>
        </li>
        <li>
          People who answered<strong id="respondents">{latest.respondents}</strong>
        </li>
        <li>
          Response rate<strong id="response-rate">{rate}</strong>
        </li>
      </ul>
      <p>
        Where the team sits: <strong>{quadrantWords(latest.quadrant)}</strong>.
      </p>
      <PrintNote />
    </section>
  );
}

function Flags({ report }: { report: TeamReportView }) {
  return (
    <section class="card keep" aria-labelledby="why-h">
      <h2 id="why-h">Why it was flagged, and what to try</h2>
      {report.flags.length ? (
        report.flags.map((flag) => <FlagCard flag={flag} />)
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
                <td class="num">{two(d.rwgJ)}</td>
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

/** Each answer option's label on a scale, lowest first. */
function optionLabels(scale: Scale): string[] {
  return (
    scale.labels ??
    Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i))
  );
}

function Answers({
  report,
  dims,
  scaleOf,
}: {
  report: TeamReportView;
  dims: Dimension[];
  scaleOf: (dimension: string) => Scale;
}) {
  // Each dimension's statements are answered on its own scale, so each has its own options.
  const groups = dims
    .map((d) => ({
      d,
      items: report.items.filter((i) => i.dimension === d.key),
      labels: optionLabels(scaleOf(d.key)),
    }))
    .filter((g) => g.items.length > 0);
  return (
    <section class="card" aria-labelledby="answers-h">
      <h2 id="answers-h">What people answered</h2>
      <p class="muted">
        How many people chose each answer, statement by statement. "(reversed)" marks statements
        worded the other way round, where agreeing is the unfavourable answer.
      </p>
      {groups.length ? null : (
        <p>
          Answers statement by statement are shown only for a group of at least{' '}
          {report.minimumGroupSize} people of this unit itself, apart from the units below it; here
          they are not.
        </p>
      )}
      {groups.map(({ d, items, labels }) => (
        <>
          <h3>{d.name}</h3>
          <ChartCanvas
            id={`chart-items-${d.key}`}
            label={`Answers to the ${d.name} statements: ${items
              .map(
                (i) =>
                  `${i.text}: ${i.distribution.map((c, j) => `${c} ${labels[j] ?? j}`).join(', ')}`,
              )
              .join('. ')}`}
          />
          <Numbers label={`${d.name} answers as a table`}>
            <table>
              <caption>{d.name}: people per answer</caption>
              <thead>
                <tr>
                  <th scope="col">Statement</th>
                  {labels.map((l) => (
                    <th scope="col" class="num">
                      {l}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    Mean
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr>
                    <th scope="row">
                      {i.text}
                      {i.reverse ? <span class="muted"> (reversed)</span> : null}
                    </th>
                    {i.distribution.map((c) => (
                      <td class="num">{c}</td>
                    ))}
                    <td class="num">{two(i.mean)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Numbers>
        </>
      ))}
    </section>
  );
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
  const title = `${name}: team health`;
  const latest = report.latest;
  if (!latest || !latest.shown) {
    return (
      <Layout title={title} skipLabel="Skip to the report">
        <h1>{title}</h1>
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
  return (
    <Layout title={title} skipLabel="Skip to the report" scripts={['report.js']} data={data}>
      <h1>{title}</h1>
      <Summary latest={latest} />
      <Flags report={report} />
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
    </Layout>
  );
}
