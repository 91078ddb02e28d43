import type { CommitmentView } from '@trellis/reporting';
import { esc } from './html';

export interface CommitmentFormState {
  values?: Record<string, string>;
  problems?: { field: string; message: string }[];
}

const VERDICT: Record<string, string> = {
  improved: 'a clear improvement',
  worsened: 'a clear change for the worse',
  no_clear_change: 'no clear change yet: the interval still includes zero',
};

const STATUS: Record<string, string> = { open: 'Open', done: 'Done', dropped: 'Dropped' };

function progressText(c: CommitmentView, dimensionName: string): string {
  if (!c.progress) return 'No later round to compare with yet.';
  const { change, since, latest } = c.progress;
  const direction = change.delta >= 0 ? 'rose' : 'fell';
  return `${dimensionName} ${direction} by ${Math.abs(change.delta).toFixed(2)} from the round of ${since} to that of ${latest} (90 % interval of the change ${change.ciLow.toFixed(2)} to ${change.ciHigh.toFixed(2)}): ${VERDICT[change.verdict]}.`;
}

/**
 * Commitments as small experiments: the list with each one's follow-up, and a form to record the
 * next. The form posts to the page's own route and works without JavaScript.
 */
export function commitmentsSection(
  unitId: string,
  commitments: CommitmentView[],
  dimensions: { key: string; name: string }[],
  flags: { code: string; title: string }[],
  form: CommitmentFormState = {},
): string {
  const nameOf = (key: string) => dimensions.find((d) => d.key === key)?.name ?? key;
  const values = form.values ?? {};
  const problem = (field: string) => form.problems?.find((p) => p.field === field);
  const described = (field: string) =>
    problem(field) ? ` aria-invalid="true" aria-describedby="c-${field}-error"` : '';
  const error = (field: string) => {
    const p = problem(field);
    return p ? `<p class="field-error" id="c-${field}-error">${esc(p.message)}</p>` : '';
  };
  const list = commitments.length
    ? `<ul class="commitments">${commitments
        .map(
          (c) => `<li><p><strong>${esc(c.action)}</strong></p>
  <p class="muted">${esc(STATUS[c.status] ?? c.status)} · owner ${esc(c.owner)} · by ${esc(c.dueOn)} · expected to move ${esc(nameOf(c.dimension))}</p>
  <p>${esc(progressText(c, nameOf(c.dimension)))}</p></li>`,
        )
        .join('')}</ul>`
    : '<p>No commitments yet. Pick one thing to try, and the next rounds will show whether it moved what you hoped.</p>';
  const summary = form.problems?.length
    ? `<div class="error-summary" role="alert"><p><strong>The commitment was not saved.</strong></p><ul>${form.problems
        .map((p) => `<li><a href="#c-${esc(p.field)}">${esc(p.message)}</a></li>`)
        .join('')}</ul></div>`
    : '';
  return `<section class="card" id="commitments" aria-labelledby="commitments-h">
  <h2 id="commitments-h">Commitments</h2>
  ${list}
  <form method="post" action="/app/units/${esc(unitId)}/commitments#commitments" class="commitment-form no-print">
    <h3>Record a commitment</h3>
    ${summary}
    <label for="c-action">What the team will try</label>
    <textarea id="c-action" name="action" rows="3" maxlength="1000" required${described('action')}>${esc(values.action ?? '')}</textarea>
    ${error('action')}
    <label for="c-owner">Who owns it</label>
    <input id="c-owner" name="owner" maxlength="200" required value="${esc(values.owner ?? '')}"${described('owner')}>
    ${error('owner')}
    <label for="c-dueOn">By when</label>
    <input id="c-dueOn" name="dueOn" type="date" required value="${esc(values.dueOn ?? '')}"${described('dueOn')}>
    ${error('dueOn')}
    <label for="c-dimension">Which dimension should move</label>
    <select id="c-dimension" name="dimension"${described('dimension')}>${dimensions
      .map(
        (d) =>
          `<option value="${esc(d.key)}"${values.dimension === d.key ? ' selected' : ''}>${esc(d.name)}</option>`,
      )
      .join('')}</select>
    ${error('dimension')}
    <label for="c-flagCode">In answer to <span class="muted">(optional)</span></label>
    <select id="c-flagCode" name="flagCode"><option value="">No particular flag</option>${flags
      .map(
        (f) =>
          `<option value="${esc(f.code)}"${values.flagCode === f.code ? ' selected' : ''}>${esc(f.title)}</option>`,
      )
      .join('')}</select>
    <button type="submit">Save commitment</button>
  </form>
</section>`;
}
