import type { ComponentChildren, FormHTMLAttributes, InputHTMLAttributes } from 'preact';
import { CSRF_FIELD } from '../access/csrf';
import { usePage } from './page-context';

export interface FieldProblem {
  field: string;
  message: string;
}

/** A form that changes something: POST, with the CSRF token of this session. */
export function PostForm(props: Omit<FormHTMLAttributes, 'method'> & { action: string }) {
  const { csrf } = usePage();
  const { children, ...rest } = props;
  return (
    <form method="post" {...rest}>
      <input type="hidden" name={CSRF_FIELD} value={csrf} />
      {children}
    </form>
  );
}

/** A table that scrolls sideways on a phone, reachable and named for keyboard and screen readers. */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** The problems of a form, first on the page, each linking to its field. */
export function ErrorSummary({ problems }: { problems: FieldProblem[] }) {
  if (!problems.length) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-h" tabIndex={-1}>
      <h2 id="error-summary-h">
        {problems.length === 1 ? 'There is a problem' : `There are ${problems.length} problems`}
      </h2>
      <ul>
        {problems.map((p) => (
          <li>
            <a href={`#${p.field}`}>{p.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A labelled input with its hint and its problem, tied together for screen readers. */
export function Field(props: {
  name: string;
  label: string;
  hint?: string;
  problems?: FieldProblem[];
  children?: ComponentChildren;
  input?: InputHTMLAttributes;
}) {
  const problem = props.problems?.find((p) => p.field === props.name);
  const describedBy =
    [props.hint ? `${props.name}-hint` : '', problem ? `${props.name}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {problem ? (
        <p class="field-error" id={`${props.name}-error`}>
          {problem.message}
        </p>
      ) : null}
      {props.children ?? (
        <input
          id={props.name}
          name={props.name}
          aria-describedby={describedBy}
          aria-invalid={problem ? 'true' : undefined}
          {...props.input}
        />
      )}
    </div>
  );
}

/** A confirmation the person asked for ("Settings saved"), announced politely. */
export function Notice({ children }: { children: ComponentChildren }) {
  return (
    <p class="notice" role="status">
      {children}
    </p>
  );
}
