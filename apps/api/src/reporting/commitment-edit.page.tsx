import { earliestToday, type CommitmentView } from '@trellis/reporting';
import { ErrorSummary, Field, PostForm, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { COMMITMENT_LABELS } from './commitments';

export const COMMITMENT_EDIT_FIELDS = ['action', 'owner', 'dueOn', 'status', 'note'] as const;
export type CommitmentEditField = (typeof COMMITMENT_EDIT_FIELDS)[number];

/** The edit form sent back with its problems, as it was typed. */
export interface CommitmentEditState {
  values: Partial<Record<CommitmentEditField, string>>;
  problems: FieldProblem[];
}

export interface CommitmentEditPageProps {
  commitment: CommitmentView;
  unitName: string;
  dimensionName: string;
  form?: CommitmentEditState;
}

const STATUS_CHOICES = [
  { value: 'open', label: 'Open: the team is still trying it' },
  { value: 'done', label: 'Done: the team did it' },
  { value: 'dropped', label: 'Dropped: the team stopped trying it' },
] as const;

/**
 * One commitment's edit page (/app/commitments/:id): change what the team will try, who owns
 * it and by when, or mark it done or dropped with a note on how it went. A plain form that posts
 * to its own address with the CSRF token; it works without JavaScript. A date already past may
 * be kept (an overdue commitment can still be closed) but not chosen anew.
 */
export function CommitmentEditPage({
  commitment: c,
  unitName,
  dimensionName,
  form,
}: CommitmentEditPageProps) {
  const values: Partial<Record<CommitmentEditField, string>> = form?.values ?? {
    action: c.action,
    owner: c.owner,
    dueOn: c.dueOn,
    status: c.status,
    note: c.note ?? '',
  };
  const problems = form?.problems ?? [];
  const today = earliestToday();
  const problemOf = (field: CommitmentEditField) => problems.some((p) => p.field === field);
  const title = `Commitment of ${unitName}`;
  return (
    <Layout title={`${problems.length ? 'Error: ' : ''}${title}`} skipLabel="Skip to the form">
      <p class="no-print">
        <a href={`${consolePaths.unitReport(c.unitId)}#commitments`}>Back to the report</a>
      </p>
      <h1>{title}</h1>
      <section class="card">
        <p class="muted">
          {c.overdue ? <span class="pill overdue">Overdue</span> : null}
          Expected to move {dimensionName} · recorded {c.createdAt.toISOString().slice(0, 10)}
        </p>
        <PostForm
          action={consolePaths.commitment(c.id)}
          class="stack commitment-form"
          aria-labelledby="edit-h"
        >
          <h2 id="edit-h">Change it, or say how it went</h2>
          <ErrorSummary problems={problems} />
          <Field name="action" label={COMMITMENT_LABELS.action} problems={problems}>
            <textarea
              id="action"
              name="action"
              rows={3}
              maxLength={1000}
              required
              value={values.action ?? ''}
              aria-invalid={problemOf('action') ? 'true' : undefined}
              aria-describedby={problemOf('action') ? 'action-error' : undefined}
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
            hint={
              c.dueOn < today
                ? `Its date, ${c.dueOn}, has passed: keep it to close the commitment, or pick a date from today on.`
                : 'From today on.'
            }
            problems={problems}
            input={{
              type: 'date',
              required: true,
              // A date already past may be kept, so the picker refuses only when it is not.
              min: c.dueOn < today ? undefined : today,
              value: values.dueOn ?? '',
            }}
          />
          <fieldset
            class="field choices"
            id="status"
            aria-describedby={problemOf('status') ? 'status-error' : undefined}
          >
            <legend>Where it stands</legend>
            {problemOf('status') ? (
              <p class="field-error" id="status-error">
                {problems.find((p) => p.field === 'status')!.message}
              </p>
            ) : null}
            {STATUS_CHOICES.map((choice) => (
              <label class="choice">
                <input
                  type="radio"
                  name="status"
                  value={choice.value}
                  checked={values.status === choice.value}
                />{' '}
                {choice.label}
              </label>
            ))}
          </fieldset>
          <Field
            name="note"
            label="Note (optional)"
            hint="How it went, or why the team stopped. Leave it empty for none."
            problems={problems}
          >
            <textarea
              id="note"
              name="note"
              rows={3}
              maxLength={1000}
              value={values.note ?? ''}
              aria-describedby={problemOf('note') ? 'note-hint note-error' : 'note-hint'}
              aria-invalid={problemOf('note') ? 'true' : undefined}
            />
          </Field>
          <button type="submit">Save</button>
        </PostForm>
      </section>
    </Layout>
  );
}
