import type {
  Comparison,
  ItemFigure,
  OrganisationStatistic,
  RoundBasis,
  ShownReportRound,
} from '@trellis/reporting';
import { TableWrap } from '../views/components';
import { two } from './report-format';

/** ".70": statistics are read with their leading zero dropped, as papers print them. */
export const coefficient = (x: number | null | undefined) =>
  typeof x === 'number' ? x.toFixed(2).replace(/^(-?)0\./, '$1.') : '–';

const signed = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;

const VERDICT: Record<string, string> = {
  improved: 'better',
  worsened: 'worse',
  no_clear_change: 'no clear change',
};

/** When the round was aggregated and the settings its figures were computed and gated under. */
export function RoundBasisNote({ basis }: { basis: RoundBasis | null }) {
  if (!basis) return null;
  const t = basis.thresholds;
  const when = basis.aggregatedAt
    ? `${basis.aggregatedAt.slice(0, 10)} ${basis.aggregatedAt.slice(11, 16)} UTC`
    : 'not yet';
  if (!basis.current)
    return (
      <p class="muted round-basis" id="round-basis">
        Aggregated {when}, but the organisation or its settings changed since: its results are being
        recomputed and are shown again when that is done.
      </p>
    );
  return (
    <p class="muted round-basis" id="round-basis">
      Aggregated <strong>{when}</strong>, under these settings: results shown for groups of at least{' '}
      <strong>k = {basis.minimumGroupSize}</strong>; a team mean is marked when rwg(j) is below{' '}
      {coefficient(basis.agreementCutoff)}; quadrant midpoint {t.quadrant.midpoint}; micromanagement
      when over-control ≥ {t.micromanagement.controlAtLeast} and decision rights ≤{' '}
      {t.micromanagement.autonomyAtMost}; abandonment when decision rights ≥{' '}
      {t.abandonment.autonomyAtLeast} and leader support ≤ {t.abandonment.supportAtMost} or
      alignment ≤ {t.abandonment.alignmentAtMost}; split team when rwg(j) &lt;{' '}
      {coefficient(t.splitTeam.agreementBelow)}; low participation below{' '}
      {Math.round(t.lowParticipation.responseRateBelow * 100)} %.
    </p>
  );
}

/** The short "how to read this" beside the organisation's statistics. */
export function HowToRead({ cutoff }: { cutoff: number }) {
  return (
    <dl class="how-to-read" id="how-to-read">
      <dt>ICC(1)</dt>
      <dd>
        How much teams differ: the share of the differences between people that comes with their
        team. Around .05 to .20 is usual; higher means team climate matters more.
      </dd>
      <dt>ICC(2)</dt>
      <dd>
        How reliable a team mean is: .70 or more and team means can be told apart; lower and
        differences between teams are mostly noise.
      </dd>
      <dt>Alpha</dt>
      <dd>
        Whether a dimension's statements measure one thing: .70 or more is usual for a short scale.
        When some team's results are hidden, ICC is worked out over the shown teams only (over all
        of them it would give a hidden team's mean away) and alpha is not shown.
      </dd>
      <dt>rwg(j)</dt>
      <dd>
        Whether a team agrees: at {coefficient(cutoff)} or more its members agree enough for the
        team mean to describe them; below, read the distribution of answers instead (marked ◊).
      </dd>
    </dl>
  );
}

/**
 * ICC(1), ICC(2) and alpha of a round, per dimension. They are figures of the whole organisation
 * (every team that took part, shown or not), shown only where the organisation's own figure may
 * be and with at least two teams (round-statistics.ts).
 */
export function OrganisationStatistics({
  statistics,
  dimensions,
  explain,
  cutoff,
}: {
  statistics: OrganisationStatistic[];
  dimensions: { key: string; name: string }[];
  explain: boolean;
  cutoff: number;
}) {
  const byKey = new Map(statistics.map((s) => [s.dimension, s]));
  const rows = dimensions.filter((d) => byKey.has(d.key));
  return (
    <section class="card" aria-labelledby="org-stats-h" id="organisation-statistics">
      <h2 id="org-stats-h">How well the measures work this round</h2>
      {rows.length ? (
        <TableWrap label="Organisation statistics">
          <table>
            <caption>Across the organisation, per dimension</caption>
            <thead>
              <tr>
                <th scope="col">Dimension</th>
                <th scope="col" class="num">
                  ICC(1)
                </th>
                <th scope="col" class="num">
                  ICC(2)
                </th>
                <th scope="col" class="num">
                  Alpha
                </th>
                <th scope="col" class="num">
                  Teams
                </th>
                <th scope="col" class="num">
                  People
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => {
                const s = byKey.get(d.key)!;
                return (
                  <tr data-dimension={d.key}>
                    <th scope="row">{d.name}</th>
                    <td class="num">{coefficient(s.icc1)}</td>
                    <td class="num">{coefficient(s.icc2)}</td>
                    <td class="num">{coefficient(s.alpha)}</td>
                    <td class="num">{s.teams}</td>
                    <td class="num">{s.n}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p>
          Not shown for this round: they need at least two teams and a result of the whole
          organisation that may be shown.
        </p>
      )}
      {explain ? <HowToRead cutoff={cutoff} /> : null}
    </section>
  );
}

/** A team's spread and agreement per dimension, and single-item agreement per statement. */
export function TeamAgreement({
  latest,
  items,
  cutoff,
}: {
  latest: ShownReportRound;
  items: ItemFigure[];
  cutoff: number;
}) {
  const dims = latest.dimensions;
  return (
    <section class="card" aria-labelledby="agreement-h" id="team-agreement">
      <h2 id="agreement-h">How much the team agrees</h2>
      <p class="muted">
        sd is how far answers spread around the mean (on the answer scale). rwg(j) at{' '}
        {coefficient(cutoff)} or more means the members agree enough for the mean to describe the
        team; a mean below it is marked ◊.
      </p>
      <TableWrap label="Team agreement">
        <table>
          <caption>Spread and agreement per dimension</caption>
          <thead>
            <tr>
              <th scope="col">Dimension</th>
              <th scope="col" class="num">
                People
              </th>
              <th scope="col" class="num">
                Mean
              </th>
              <th scope="col" class="num">
                sd
              </th>
              <th scope="col" class="num">
                rwg(j)
              </th>
            </tr>
          </thead>
          <tbody>
            {dims.map((d) => (
              <tr data-dimension={d.key}>
                <th scope="row">{d.name}</th>
                <td class="num">{d.n}</td>
                <td class="num">
                  {two(d.mean)}
                  {d.belowAgreement ? (
                    <>
                      <span aria-hidden="true">◊</span>
                      <span class="visually-hidden"> (low agreement)</span>
                    </>
                  ) : null}
                </td>
                <td class="num">{two(d.sd)}</td>
                <td class="num">{coefficient(d.rwgJ)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {items.length ? (
        <details>
          <summary>Agreement per statement (rwg)</summary>
          <TableWrap label="Agreement per statement">
            <table>
              <caption>Single-item agreement rwg</caption>
              <thead>
                <tr>
                  <th scope="col">Statement</th>
                  <th scope="col" class="num">
                    Answers
                  </th>
                  <th scope="col" class="num">
                    rwg
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((i) => (
                  <tr data-item={i.key}>
                    <th scope="row">{i.text}</th>
                    <td class="num">{i.n}</td>
                    <td class="num">{coefficient(i.rwg)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </details>
      ) : null}
    </section>
  );
}

/** The chosen round against an earlier one: change per dimension with its 90 % interval. */
export function ComparisonCard({ comparison }: { comparison: Comparison }) {
  const round = `${comparison.round.periodStart} to ${comparison.round.periodEnd}`;
  return (
    <section class="card" aria-labelledby="compare-h" id="comparison">
      <h2 id="compare-h">Compared with the round {round}</h2>
      {comparison.shown && comparison.changes.length ? (
        <>
          <p class="muted">
            The change is this round's mean minus the earlier one, with its 90 % interval; "better"
            or "worse" only when the whole interval lies on one side of no change.
          </p>
          <TableWrap label="Comparison">
            <table>
              <caption>Change per dimension</caption>
              <thead>
                <tr>
                  <th scope="col">Dimension</th>
                  <th scope="col" class="num">
                    Earlier
                  </th>
                  <th scope="col" class="num">
                    Now
                  </th>
                  <th scope="col" class="num">
                    Change (90 % interval)
                  </th>
                  <th scope="col">Reading</th>
                </tr>
              </thead>
              <tbody>
                {comparison.changes.map((c) => (
                  <tr data-dimension={c.key}>
                    <th scope="row">{c.name}</th>
                    <td class="num">{two(c.earlier)}</td>
                    <td class="num">{two(c.later)}</td>
                    <td class="num">
                      {c.change
                        ? `${signed(c.change.delta)} (${signed(c.change.ciLow)} to ${signed(c.change.ciHigh)})`
                        : '–'}
                    </td>
                    <td>{c.change ? VERDICT[c.change.verdict] : 'not comparable'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      ) : (
        <p class="suppressed">
          The earlier round's results of this unit may not be shown, so there is nothing to compare.
        </p>
      )}
    </section>
  );
}
