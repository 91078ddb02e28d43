import type { ComponentChildren } from 'preact';
import type { ItemFigure, TeamReportView } from '@trellis/reporting';
import { TableWrap } from '../views/components';
import { two } from './report-format';

interface Scale {
  min: number;
  max: number;
  labels?: string[];
}

const TONE_WORDS = {
  favourable: 'favourable',
  neutral: 'neutral',
  unfavourable: 'unfavourable',
} as const;

/**
 * The colour key of every answer chart and table: colour says how an answer reads for the team,
 * not which end of the scale it is, so "strongly disagree" with "I am afraid to admit mistakes"
 * is blue and agreeing with an over-control statement is red.
 */
export function ToneLegend() {
  return (
    <>
      <ul class="legend" aria-label="Colour key of the answers">
        <li class="tone-favourable">favourable answer</li>
        <li class="tone-neutral">neutral</li>
        <li class="tone-unfavourable">unfavourable answer</li>
      </ul>
      <p class="muted">
        Colours are read after turning round the statements marked "(reversed)", and for
        Over-control, where agreeing means more control: there, disagreeing is the favourable
        answer. Bars run from the lowest answer on the left to the highest on the right.
      </p>
    </>
  );
}

function Numbers({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <details>
      <summary>{label}</summary>
      <TableWrap label={label}>{children}</TableWrap>
    </details>
  );
}

function itemLabel(i: ItemFigure, labels: string[]): string {
  return `${i.text}${i.reverse ? ' (reversed)' : ''}: ${i.distribution
    .map((c, j) => `${c} ${labels[j] ?? j} (${TONE_WORDS[i.tones[j]] ?? 'neutral'})`)
    .join(', ')}`;
}

/** One dimension's statements: a stacked bar chart the browser draws, and the same as a table. */
function DimensionAnswers({
  name,
  dimensionKey,
  items,
  labels,
}: {
  name: string;
  dimensionKey: string;
  items: ItemFigure[];
  labels: string[];
}) {
  return (
    <>
      <h3>{name}</h3>
      <div class="chart">
        <canvas
          id={`chart-items-${dimensionKey}`}
          role="img"
          aria-label={`Answers to the ${name} statements: ${items.map((i) => itemLabel(i, labels)).join('. ')}`}
        />
      </div>
      <Numbers label={`${name} answers as a table`}>
        <table>
          <caption>{name}: people per answer, coloured by how the answer reads</caption>
          <thead>
            <tr>
              <th scope="col">Statement</th>
              {labels.map((l) => (
                <th scope="col" class="num">
                  {l}
                </th>
              ))}
              <th scope="col" class="num">
                Mean (as answered)
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
                {i.distribution.map((c, j) => (
                  <td class={`num tone-${i.tones[j] ?? 'neutral'}`} data-tone={i.tones[j]}>
                    {c}
                    <span class="visually-hidden"> ({TONE_WORDS[i.tones[j]] ?? 'neutral'})</span>
                  </td>
                ))}
                <td class="num">{two(i.mean)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Numbers>
    </>
  );
}

/** Each answer option's label on a scale, lowest first. */
function optionLabels(scale: Scale): string[] {
  return (
    scale.labels ??
    Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i))
  );
}

/** "What people answered": every statement's distribution, grouped by dimension. */
export function Answers({
  report,
  dims,
  scaleOf,
}: {
  report: Pick<TeamReportView, 'items' | 'minimumGroupSize'>;
  dims: { key: string; name: string }[];
  /** Each dimension's statements are answered on its own scale, so each has its own options. */
  scaleOf: (dimension: string) => Scale;
}) {
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
      <p class="muted">How many people chose each answer, statement by statement.</p>
      {groups.length ? (
        <ToneLegend />
      ) : (
        <p>
          Answers statement by statement are shown only for a group of at least{' '}
          {report.minimumGroupSize} people of this unit itself, apart from the units below it; here
          they are not.
        </p>
      )}
      {groups.map(({ d, items, labels }) => (
        <DimensionAnswers name={d.name} dimensionKey={d.key} items={items} labels={labels} />
      ))}
    </section>
  );
}
