import { earliestToday, type CommitmentView } from '@trellis/reporting';
import { ErrorSummary, Field, PostForm, type FieldProblem } from '../views/components';
import { consolePaths } from '../views/navigation';

/** What the form holds when it comes back with problems: what was typed, as it was typed. */
export interface CommitmentFormState {
  values: Partial<Record<CommitmentField, string>>;
  problems: FieldProblem[];
}

export const COMMITMENT_FIELDS = ['action', 'owner', 'dueOn', 'dimension', 'flagCode'] as const;
export type CommitmentField = (typeof COMMITMENT_FIELDS)[number];

/** The form's labels; a problem the domain names by field reads "<label>: <what is wrong>". */
export const COMMITMENT_LABELS: Record<string, string> = {
  action: 'What the team will try',
  owner: 'Who owns it',
  dueOn: 'By when',
  dimension: 'Which dimension should move',
  flagCode: 'In answer to',
};

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

export interface CommitmentsProps {
  unitId: string;
  commitments: CommitmentView[];
  dimensions: { key: string; name: string }[];
  flags: { code: string; title: string }[];
  form?: CommitmentFormState;
}

/**
 * Commitments as small experiments: the list with each one's follow-up, and a form to record the
 * next. The form posts to the page's own route (with the CSRF token) and works without JavaScript.
 */
export function Commitments({ unitId, commitments, dimensions, flags, form }: CommitmentsProps) {
  // The browser's date picker offers no day the server would refuse (commitment-rules.ts).
  const today = earliestToday();
  const nameOf = (key: string) => dimensions.find((d) => d.key === key)?.name ?? key;
  const values = form?.values ?? {};
  const problems = form?.problems ?? [];
  const invalid = (field: CommitmentField) => {
    const problem = problems.some((p) => p.field === field);
    return {
      'aria-invalid': problem ? ('true' as const) : undefined,
      'aria-describedby': problem ? `${field}-error` : undefined,
    };
  };
  return (
    <section class="card" id="commitments" aria-labelledby="commitments-h">
      <h2 id="commitments-h">Commitments</h2>
      {commitments.length ? (
        <ul class="commitments">
          {commitments.map((c) => (
            <li id={`commitment-${c.id}`} class={c.overdue ? 'overdue' : undefined}>
              <p>
                <strong>{c.action}</strong>
              </p>
              <p class="muted">
                {c.overdue ? <span class="pill overdue">Overdue</span> : null}
                {STATUS[c.status] ?? c.status} · owner {c.owner} · by {c.dueOn} · expected to move{' '}
                {nameOf(c.dimension)}
              </p>
              {c.note ? <p class="note">Note: {c.note}</p> : null}
              <p>{progressText(c, nameOf(c.dimension))}</p>
              <p class="no-print">
                <a href={consolePaths.commitment(c.id)}>
                  {c.status === 'open' ? 'Edit, mark done or drop' : 'Edit or reopen'}
                  <span class="visually-hidden">: {c.action}</span>
                </a>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>
          No commitments yet. Pick one thing to try, and the next rounds will show whether it moved
          what you hoped.
        </p>
      )}
      <PostForm
        action={`${consolePaths.unitCommitments(unitId)}#commitments`}
        class="stack commitment-form no-print"
        aria-labelledby="commitment-form-h"
      >
        <h3 id="commitment-form-h">Record a commitment</h3>
        <ErrorSummary problems={problems} />
        <Field name="action" label={COMMITMENT_LABELS.action} problems={problems}>
          <textarea
            id="action"
            name="action"
            rows={3}
            maxLength={1000}
            required
            value={values.action ?? ''}
            {...invalid('action')}
          />
        </Field>
        <Field
          name="owner"
          label={COMMITMENT_LABELS.owner}
          problems={problems}
          input={{ maxLength: 200, required: true, value: values.owner ?? '' }}
        />
        <Field
          name="dueOn"
          label={COMMITMENT_LABELS.dueOn}
          hint="From today on."
          problems={problems}
          input={{ type: 'date', required: true, min: today, value: values.dueOn ?? '' }}
        />
        <Field name="dimension" label={COMMITMENT_LABELS.dimension} problems={problems}>
          <select id="dimension" name="dimension" {...invalid('dimension')}>
            {dimensions.map((d) => (
              <option value={d.key} selected={values.dimension === d.key}>
                {d.name}
              </option>
            ))}
          </select>
        </Field>
        <Field
          name="flagCode"
          label={`${COMMITMENT_LABELS.flagCode} (optional)`}
          problems={problems}
        >
          <select id="flagCode" name="flagCode" {...invalid('flagCode')}>
            <option value="">No particular flag</option>
            {flags.map((f) => (
              <option value={f.code} selected={values.flagCode === f.code}>
                {f.title}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">Save commitment</button>
      </PostForm>
    </section>
  );
}
