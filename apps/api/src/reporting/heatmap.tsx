import { TableWrap } from '../views/components';
import { consolePaths } from '../views/navigation';
import type { OrganisationOverview } from './organisation-overview.service';

const HIGHER_IS_WORSE = new Set(['over_control']);

export const HEAT_WORDS = ['very low', 'low', 'middling', 'good', 'very good'] as const;

/** Five colour steps from worst (0) to best (4); over-control inverted. All keep dark text readable. */
export function heatStep(dimension: string, score: number): number {
  const good = HIGHER_IS_WORSE.has(dimension) ? 100 - score : score;
  return good < 35 ? 0 : good < 50 ? 1 : good < 62.5 ? 2 : good < 75 ? 3 : 4;
}

const MINOR_WORDS = new Set(['of', 'and', 'the', 'for', 'in', 'to', 'a']);

/**
 * A column header short enough for six dimensions to fit at 1280 px: the initials of the name's
 * words ("Over-control" → "OC"), or its first two letters when it is one word ("Alignment" →
 * "Al"). The full name goes beside it in <abbr title> and the legend.
 */
export function dimensionAbbreviation(name: string): string {
  const words = name.split(/[\s-]+/).filter((w) => w && !MINOR_WORDS.has(w.toLowerCase()));
  if (words.length === 0) return name;
  if (words.length === 1) return words[0].slice(0, 2);
  return words
    .map((w) => w[0].toUpperCase())
    .join('')
    .slice(0, 3);
}

/**
 * The heatmap of one round: units that took part as rows (the unit column stays put while the
 * table scrolls sideways), dimensions as abbreviated columns explained by a legend, a mark on
 * every mean whose team agrees too little for it (rwg(j) below the cut-off), and the units that
 * did not take part listed under it, so a round of one team does not pass for the organisation.
 */
export function Heatmap({ overview }: { overview: OrganisationOverview }) {
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
  const dims = heatmap.dimensions.map((d) => ({ ...d, abbr: dimensionAbbreviation(d.name) }));
  const cutoff = heatmap.basis?.agreementCutoff ?? 0.7;
  const absent = new Set(heatmap.notTakingPart.map((u) => u.id));
  const absentInOrder = overview.units.filter((u) => absent.has(u.unit.id));
  return (
    <section class="card keep" aria-labelledby="heat-h">
      <h2 id="heat-h">
        Team health, round {heatmap.round.periodStart} to {heatmap.round.periodEnd}
      </h2>
      <p class="muted">
        Scores from 0 to 100 (the mean on the answer scale, stretched to 0–100). The colour says how
        good a score is: for over-control a low score is good, so its colours run the other way.
        Groups with fewer than {heatmap.minimumGroupSize ?? 5} answers are not shown. A score marked
        ◊ comes from a team whose members agree too little (rwg(j) below{' '}
        {cutoff.toFixed(2).replace(/^0/, '')}) for its mean to describe it: read its distribution.
      </p>
      <ul class="legend" aria-label="Colour key">
        {HEAT_WORDS.map((w, i) => (
          <li class={`h${i}`}>{w}</li>
        ))}
      </ul>
      <dl class="abbr-legend" id="heat-dims">
        {dims.map((d) => (
          <div>
            <dt>{d.abbr}</dt>
            <dd>{d.name}</dd>
          </div>
        ))}
      </dl>
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
                <th scope="col" class="num" aria-label={d.name} data-dimension={d.key}>
                  <abbr title={d.name}>{d.abbr}</abbr>
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
                      const low = cell.belowAgreement;
                      return (
                        <td
                          class={`cell h${step}${low ? ' low-agreement' : ''}`}
                          title={`${d.name}: ${HEAT_WORDS[step]}${low ? `; members agree too little (rwg(j) ${cell.rwgJ?.toFixed(2)})` : ''}`}
                        >
                          {Math.round(cell.score)}
                          {low ? (
                            <>
                              <span aria-hidden="true">◊</span>
                              <span class="visually-hidden"> (low agreement)</span>
                            </>
                          ) : null}
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
      {absentInOrder.length ? (
        <div id="not-taking-part">
          <h3>Did not take part in this round</h3>
          <p class="muted">
            {absentInOrder.length} of {overview.units.length} units had no one answering in this
            round (it may have been a pilot or a campaign for some teams only). Pick another round
            above to see them.
          </p>
          <ul class="inline-list">
            {absentInOrder.map(({ unit }) => (
              <li data-unit={unit.id}>
                {unit.name} <span class="muted">{unit.kind}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="muted" id="not-taking-part">
          Every unit took part in this round.
        </p>
      )}
    </section>
  );
}
