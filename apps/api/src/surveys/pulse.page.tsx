import type { FieldProblem } from '@trellis/errors';
import {
  closesText,
  DEFAULT_MAX_COMMENT_LENGTH,
  NOTHING_ANSWERED,
  REQUIRED,
  scaleLabels,
  type PulseForm,
} from '@trellis/surveys';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { PrivacyList } from './pulse-privacy';

/** The form value of "Prefer not to answer"; the page controller turns it into the API's null. */
export const SKIP_VALUE = 'skip';

/**
 * The answering page behind a personal link (GET/POST /r/:token): phone first, one column, a
 * plain form that works without JavaScript. Every statement has a "Prefer not to answer"
 * choice, a radio like the answers: skipping is a choice made, not a statement scrolled past. pulse.browser.ts only enhances the progress line;
 * without it a CSS counter over the checked radios keeps "n of N answered" (trellis.css,
 * body.pulse). The page is anonymous: no navigation, no viewer, no cookie.
 */

/** What the person sent, kept so a form with problems comes back as they left it. */
export interface PulseFormState {
  answers: Record<string, unknown>;
  comment: unknown;
  /** Comments on a theme as sent: `[{ dimension, text }]`. */
  comments?: unknown;
  /** The submission's field problems, as PulseService named them (the JSON API's 400 too). */
  problems: FieldProblem[];
}

export interface PulsePageProps {
  token: string;
  form: PulseForm;
  state?: PulseFormState;
}

/** The data pulse.js reads from the page. */
export interface PulsePageData {
  total: number;
}

interface ShownProblem {
  /** The element the summary links to (a statement's fieldset, the comment), if any. */
  target?: string;
  summary: string;
  inline?: string;
  /** A statement left unanswered, as opposed to one answered with something not offered. */
  missing?: boolean;
}

const fieldsetId = (index: number) => `q-${index + 1}`;

/** The domain's field problems in words for the person, each tied to its statement or the comment. */
export function describeProblems(form: PulseForm, problems: FieldProblem[]): ShownProblem[] {
  const indexOf = new Map(form.items.map((item, i) => [`answers.${item.key}`, i]));
  return problems.map((problem): ShownProblem => {
    const index = indexOf.get(problem.field);
    if (index !== undefined) {
      const missing = problem.message === REQUIRED;
      return {
        target: fieldsetId(index),
        missing,
        inline: missing
          ? 'Choose an answer for this statement. If you would rather not, choose “Prefer not to answer”.'
          : 'The answer sent is not one of the options. Choose one of the answers shown.',
        summary: `“${form.items[index].text}”: ${missing ? 'choose an answer, or “Prefer not to answer”' : 'choose one of the answers shown'}`,
      };
    }
    if (problem.field === 'answers' && problem.message === NOTHING_ANSWERED) {
      return {
        summary:
          'You chose “Prefer not to answer” for every statement. Answer at least one to send, or close this page: nothing is sent and nobody is told.',
      };
    }
    if (problem.field === 'comment' && !form.allowsComment) {
      return { summary: 'This form takes no comment. Send your answers without one.' };
    }
    if (problem.field === 'comment') {
      return {
        target: 'comment',
        inline: `Your comment ${problem.message}.`,
        summary: `Your comment ${problem.message}`,
      };
    }
    if (problem.field.startsWith('comments')) {
      return {
        target: 'themes',
        inline: `A comment on a theme ${problem.message}.`,
        summary: `Your comment on a theme ${problem.message}`,
      };
    }
    if (problem.field.startsWith('answers.')) {
      return {
        summary:
          'An answer was sent for a statement this form does not ask. Reload the page and answer again.',
      };
    }
    return { summary: `${problem.field} ${problem.message}` };
  });
}

/**
 * The problems first on the page. It takes focus as the page loads (autofocus works without
 * script), so keyboard and screen-reader users start here; each problem links to its field.
 */
function ErrorSummary({ problems }: { problems: ShownProblem[] }) {
  if (!problems.length) return null;
  const unanswered = problems.filter((p) => p.missing).length;
  const heading =
    unanswered === problems.length
      ? `Please answer ${unanswered === 1 ? '1 more statement' : `${unanswered} more statements`}`
      : 'There is a problem with your answers';
  return (
    <div
      class="error-summary"
      id="error-summary"
      role="alert"
      tabIndex={-1}
      autofocus
      aria-labelledby="error-summary-title"
    >
      <h2 id="error-summary-title">{heading}</h2>
      <p>Nothing has been saved yet. What you entered is kept below.</p>
      <ul>
        {problems.map((p) => (
          <li>{p.target ? <a href={`#${p.target}`}>{p.summary}</a> : p.summary}</li>
        ))}
      </ul>
    </div>
  );
}

function InlineError({ id, problems }: { id: string; problems: ShownProblem[] }) {
  if (!problems.length) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span class="visually-hidden">Error: </span>
      {problems.map((p) => p.inline).join(' ')}
    </p>
  );
}

function Statement({
  form,
  index,
  chosen,
  problems,
}: {
  form: PulseForm;
  index: number;
  chosen: unknown;
  problems: ShownProblem[];
}) {
  const item = form.items[index];
  // An item is answered on its dimension's scale, which may differ from its neighbours'.
  const scale = item.scale;
  const labels = scaleLabels(scale);
  // Worded options stack on a phone and sit in one row on a wider screen when few enough to fit.
  const layout =
    scale.labels === undefined ? 'numeric' : labels.length <= 7 ? 'labelled row' : 'labelled';
  const id = fieldsetId(index);
  const invalid = problems.length > 0;
  return (
    <fieldset
      class={invalid ? 'q invalid' : 'q'}
      id={id}
      aria-describedby={invalid ? `${id}-error` : undefined}
    >
      <legend>{item.text}</legend>
      <InlineError id={id} problems={problems} />
      <div class={`opts ${layout}`}>
        {labels.map((label, i) => {
          const value = scale.min + i;
          return (
            <label class="opt">
              <input
                type="radio"
                name={`answers[${item.key}]`}
                value={String(value)}
                checked={chosen === value}
              />
              <span>{label}</span>
            </label>
          );
        })}
      </div>
      <div class="opts prefer-not">
        <label class="opt">
          <input
            type="radio"
            name={`answers[${item.key}]`}
            value={SKIP_VALUE}
            checked={chosen === null}
          />
          <span>Prefer not to answer</span>
        </label>
      </div>
    </fieldset>
  );
}

function Comment({
  form,
  text,
  problems,
}: {
  form: PulseForm;
  text: string;
  problems: ShownProblem[];
}) {
  const invalid = problems.length > 0;
  return (
    <div class="card">
      <label class="field" for="comment">
        Anything you want to add? <span class="meta">(optional)</span>
      </label>
      <p class="hint" id="comment-hint">
        Your leader sees comments without any of your scores, and only when at least{' '}
        {form.minCommentGroup} people in your team commented; otherwise they are read one level up,
        with other teams’. Leave out names and details that would identify you.
      </p>
      <InlineError id="comment" problems={problems} />
      {/* The parser drops one newline right after <textarea>, so a comment starting with one keeps it. */}
      <textarea
        id="comment"
        name="comment"
        rows={5}
        maxLength={DEFAULT_MAX_COMMENT_LENGTH}
        aria-describedby={invalid ? 'comment-hint comment-error' : 'comment-hint'}
        aria-invalid={invalid ? 'true' : undefined}
        class={invalid ? 'invalid' : undefined}
      >
        {`\n${text}`}
      </textarea>
    </div>
  );
}

/** What was typed per theme, from the state's `[{ dimension, text }]`. */
function themedTexts(sent: unknown): Map<string, string> {
  const texts = new Map<string, string>();
  if (!Array.isArray(sent)) return texts;
  for (const entry of sent as unknown[]) {
    const { dimension, text } = (entry ?? {}) as { dimension?: unknown; text?: unknown };
    if (typeof dimension === 'string' && typeof text === 'string') texts.set(dimension, text);
  }
  return texts;
}

/**
 * A comment per theme, folded away so the phone page stays short: opened, it is one box per
 * dimension asked. Stored with the general comment as one author's, sealed; shown to leaders
 * without scores, by theme.
 */
function ThemeComments({
  form,
  sent,
  problems,
}: {
  form: PulseForm;
  sent: unknown;
  problems: ShownProblem[];
}) {
  const texts = themedTexts(sent);
  const invalid = problems.length > 0;
  return (
    <details class="card themes" id="themes" open={invalid || texts.size > 0}>
      <summary>Comment on a theme (optional)</summary>
      <p class="hint">
        Same rules as above: read without your scores, and only among at least{' '}
        {form.minCommentGroup} people who commented.
      </p>
      <InlineError id="themes" problems={problems} />
      {form.dimensions.map((d) => (
        <div class="theme-comment">
          <label class="field" for={`comment-${d.key}`}>
            {d.name}
          </label>
          <textarea
            id={`comment-${d.key}`}
            name={`comments[${d.key}]`}
            rows={3}
            maxLength={DEFAULT_MAX_COMMENT_LENGTH}
            aria-describedby={invalid ? 'themes-error' : undefined}
          >
            {`\n${texts.get(d.key) ?? ''}`}
          </textarea>
        </div>
      ))}
    </details>
  );
}

/** The form, fresh or coming back with problems (`state`). */
export function PulsePage({ token, form, state }: PulsePageProps) {
  const problems = describeProblems(form, state?.problems ?? []);
  const self = form.audience === 'leader_self';
  const total = form.items.length;
  const answers = state?.answers ?? {};
  const data: PulsePageData = { total };
  return (
    <Layout
      title={`${problems.length ? 'Error: ' : ''}${form.teamName} pulse`}
      bodyClass="pulse"
      brandHref={null}
      aside={<span class="meta">{form.organisationName}</span>}
      skipLabel="Skip to the statements"
      scripts={['pulse.js']}
      data={data}
    >
      <ErrorSummary problems={problems} />
      <h1>{self ? `Your view of ${form.teamName}` : `How is ${form.teamName} doing?`}</h1>
      <p class="meta">
        {form.instrumentName} · open until {closesText(form.closesAt, form.timeZone)}
      </p>
      <section class="card privacy" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{self ? 'Your self-view' : 'Who sees your answers'}</h2>
        <PrivacyList audience={form.audience} teamName={form.teamName} promises={form} />
      </section>
      <p class="lead">
        {self
          ? `Answer each of the ${total} statements as you see yourself leading the team.`
          : `Choose one answer for each of the ${total} statements, or “Prefer not to answer”. It takes about two minutes.`}
      </p>
      <form id="pulse-form" method="post" action={consolePaths.answer(token)}>
        {form.items.map((item, index) => (
          <Statement
            form={form}
            index={index}
            chosen={Object.hasOwn(answers, item.key) ? answers[item.key] : undefined}
            problems={problems.filter((p) => p.target === fieldsetId(index))}
          />
        ))}
        {form.allowsComment ? (
          <Comment
            form={form}
            text={typeof state?.comment === 'string' ? state.comment : ''}
            problems={problems.filter((p) => p.target === 'comment')}
          />
        ) : null}
        {form.allowsComment && form.dimensions.length > 0 ? (
          <ThemeComments
            form={form}
            sent={state?.comments}
            problems={problems.filter((p) => p.target === 'themes')}
          />
        ) : null}
        <div class="submit-bar">
          <div class="progress-wrap" id="progress-wrap">
            <p class="progress" id="progress" role="status">
              <span class="count" id="answered-count"></span> of {total} answered
            </p>
            <div class="bar" aria-hidden="true">
              <span id="progress-fill"></span>
            </div>
          </div>
          <button type="submit">Send answers</button>
        </div>
      </form>
    </Layout>
  );
}
