import { createHash } from 'node:crypto';
import { scaleLabels, type PulseForm } from '@trellis/surveys';
import { esc } from './html';

/**
 * The answering page behind a personal link (GET/POST /r/:token): mobile first, no external
 * assets, and a plain HTML form that works without JavaScript. A tiny inline script only
 * enhances the progress text; CSS counts the checked radios when it does not run.
 */

/** The organisation's anonymity minimums, which the page promises (never constants: move 11). */
export type Promises = Pick<PulseForm, 'minGroupSize' | 'minCommentGroup'>;

export const MAX_COMMENT_LENGTH = 2000;

export interface FieldProblem {
  field: string;
  message: string;
}

/** What the person sent, kept so a form with problems comes back as they left it. */
export interface FormState {
  answers: Record<string, unknown>;
  comment: unknown;
  errors: FieldProblem[];
}

const STYLE = `
:root { color-scheme: light; --ink:#1b1f24; --muted:#4a5561; --line:#d0d7de; --edge:#8c959f; --accent:#0b5cad; --accent-soft:#e6f0fb; --bg:#f6f8fa; --bad:#a40e26; --focus:#f2a900; }
* { box-sizing: border-box; }
html { scroll-padding-bottom: 6rem; -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin:0; font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); overflow-wrap: break-word; }
header { background:#fff; border-bottom:1px solid var(--line); padding:.75rem 1rem; display:flex; flex-wrap:wrap; justify-content:space-between; align-items:baseline; gap:.25rem 1rem; }
header .brand { font-weight:700; }
main { max-width:40rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.5rem; line-height:1.25; margin:.25rem 0 .5rem; }
h2 { font-size:1.1rem; line-height:1.3; margin:0 0 .5rem; }
p { margin:0 0 .75rem; }
.meta { color:var(--muted); }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem; margin-bottom:1rem; }
.card > :last-child { margin-bottom:0; }
.privacy ul { margin:0; padding-left:1.25rem; }
.privacy li + li { margin-top:.4rem; }
.lead { font-weight:600; }
fieldset.q { background:#fff; border:1px solid var(--line); border-radius:8px; margin:0 0 1rem; padding:1rem; min-width:0; }
fieldset.q legend { float:left; width:100%; padding:0; margin:0 0 .75rem; font-weight:600; font-size:1.05rem; line-height:1.4; }
fieldset.q.invalid { border:2px solid var(--bad); border-left-width:6px; }
.field-error { clear:both; color:var(--bad); font-weight:600; margin:0 0 .75rem; }
.opts { clear:both; display:grid; gap:.5rem; }
.opt { display:flex; align-items:center; gap:.75rem; min-height:48px; margin:0; padding:.5rem .75rem; border:1px solid var(--edge); border-radius:8px; background:#fff; cursor:pointer; line-height:1.3; }
.opt input { flex:none; width:1.4rem; height:1.4rem; margin:0; accent-color:var(--accent); cursor:pointer; }
.opt:has(input:checked) { border-color:var(--accent); background:var(--accent-soft); box-shadow:inset 0 0 0 1px var(--accent); font-weight:600; }
.opt:has(input:focus-visible) { outline:3px solid var(--focus); outline-offset:2px; }
.opt input:focus-visible { outline:none; }
.opts.numeric { grid-template-columns:repeat(auto-fill, minmax(5.5rem, 1fr)); }
.opts.numeric .opt { justify-content:center; }
@media (min-width: 40rem) {
  .opts.row { grid-auto-flow:column; grid-auto-columns:1fr; }
  .opts.row .opt { flex-direction:column; justify-content:flex-start; text-align:center; padding:.75rem .5rem; }
}
label.field { display:block; font-weight:600; font-size:1.05rem; margin:0 0 .25rem; }
.hint { color:var(--muted); }
textarea { display:block; width:100%; min-height:8rem; font:inherit; padding:.6rem .7rem; border:1px solid var(--edge); border-radius:6px; resize:vertical; }
textarea.invalid { border:2px solid var(--bad); }
.opt:has(input:focus-visible), textarea:focus-visible, button:focus-visible, a:focus-visible, .error-summary:focus { outline:3px solid var(--focus); outline-offset:2px; }
.submit-bar { position:sticky; bottom:0; z-index:1; display:flex; align-items:center; justify-content:space-between; gap:.75rem; margin:1rem -1rem -1rem; padding:.75rem 1rem; background:#fff; border-top:1px solid var(--line); box-shadow:0 -2px 10px rgba(27,31,36,.08); }
.progress-wrap { flex:1; min-width:0; }
.progress { margin:0; font-weight:600; font-size:.95rem; line-height:1.3; }
.bar { display:none; height:6px; margin-top:.35rem; border-radius:3px; background:var(--line); overflow:hidden; }
.bar span { display:block; height:100%; width:0; background:var(--accent); transition:width .2s; }
.js .bar { display:block; }
form { counter-reset:answered; }
.opt input:checked { counter-increment:answered; }
.count::before { content:counter(answered); }
.js .count::before { content:none; }
button { flex:none; font:inherit; font-weight:600; min-height:48px; padding:.6rem 1.1rem; border:0; border-radius:8px; background:var(--accent); color:#fff; cursor:pointer; }
.error-summary { background:#fff; border:3px solid var(--bad); border-radius:8px; padding:1rem; margin-bottom:1rem; }
.error-summary h2 { color:var(--bad); }
.error-summary ul { margin:0; padding-left:1.25rem; }
.error-summary li + li { margin-top:.4rem; }
.error-summary a { color:var(--bad); font-weight:600; }
.visually-hidden { position:absolute !important; width:1px; height:1px; margin:-1px; padding:0; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; border:0; }
`;

/**
 * Progressive enhancement: keeps "n of N answered" current for screen readers (the status region
 * announces it), draws a bar, and stops a double tap from sending the form twice.
 */
const SCRIPT = `(function () {
  var form = document.getElementById('pulse-form');
  if (!form) return;
  var wrap = document.getElementById('progress-wrap');
  var count = document.getElementById('answered-count');
  var fill = document.getElementById('progress-fill');
  var total = Number(count.getAttribute('data-total')) || 1;
  function update() {
    var n = form.querySelectorAll('input[type=radio]:checked').length;
    if (count.textContent !== String(n)) count.textContent = String(n);
    fill.style.width = Math.round((n / total) * 100) + '%';
  }
  wrap.className += ' js';
  form.addEventListener('change', update);
  update();
  var sent = false;
  form.addEventListener('submit', function (event) {
    if (sent) event.preventDefault();
    sent = true;
  });
})();`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Only this page's own style and script may run; nothing is loaded from elsewhere. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  'img-src data:',
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function layout(title: string, body: string, organisationName?: string, script = false): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${esc(title)} · Trellis</title>
<style>${STYLE}</style>
</head>
<body>
<header><span class="brand">Trellis</span>${organisationName ? `<span class="meta">${esc(organisationName)}</span>` : ''}</header>
<main id="main">
${body}
</main>
${script ? `<script>${SCRIPT}</script>` : ''}
</body>
</html>`;
}

function closesText(closesAt: Date): string {
  const when = new Date(closesAt).toLocaleString('en-GB', {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  });
  return `${when} UTC`;
}

/** Who sees what, in plain words; the same promise before answering and after. */
function privacyList(
  audience: PulseForm['audience'],
  teamName: string,
  promises: Promises,
  sent = false,
): string {
  const { minGroupSize, minCommentGroup } = promises;
  const points =
    audience === 'leader_self'
      ? [
          sent
            ? `This was your own view of ${esc(teamName)}, as its leader.`
            : `This is your own view of ${esc(teamName)}, as its leader: answer the statements from your side.`,
          'Your answers are shown next to your team’s results, never mixed into them, so you can see where your view and theirs differ.',
          `The team’s results appear only after the round closes, and only if at least ${minGroupSize} people answered.`,
        ]
      : [
          'Your answers are anonymous. They are stored with your team and this round, never with your name.',
          'Nobody — not your leader, not HR — sees your individual answers.',
          `Team results appear only after the round closes, and only if at least ${minGroupSize} people answered.`,
          `Comments are shown to your leader without any of your scores, and only when at least ${minCommentGroup} people commented.`,
        ];
  return `<ul>${points.map((p) => `<li>${p}</li>`).join('')}</ul>`;
}

const fieldsetId = (index: number) => `q-${index + 1}`;

interface ShownProblem {
  /** The element the summary links to, if any. */
  target?: string;
  summary: string;
  inline: string;
  /** A statement left unanswered, as opposed to one answered with something that is not an option. */
  missing?: boolean;
}

/** Turns PulseService's field problems into words for the person, tied to their statements. */
function describeProblems(form: PulseForm, errors: FieldProblem[]): Map<string, ShownProblem[]> {
  const byTarget = new Map<string, ShownProblem[]>();
  const add = (key: string, problem: ShownProblem) =>
    byTarget.set(key, [...(byTarget.get(key) ?? []), problem]);
  const indexOf = new Map(form.items.map((item, i) => [`answers.${item.key}`, i]));
  for (const error of errors) {
    const index = indexOf.get(error.field);
    if (index !== undefined) {
      const missing = error.message === 'is required';
      const inline = missing
        ? 'Choose an answer for this statement.'
        : 'The answer sent is not one of the options. Choose one of the answers shown.';
      add(fieldsetId(index), {
        target: fieldsetId(index),
        missing,
        inline,
        summary: `“${esc(form.items[index].text)}”: ${missing ? 'choose an answer' : 'choose one of the answers shown'}`,
      });
    } else if (error.field === 'comment' && !form.allowsComment) {
      add('', {
        summary: 'This form takes no comment. Send your answers without one.',
        inline: '',
      });
    } else if (error.field === 'comment') {
      add('comment', {
        target: 'comment',
        inline: `Your comment ${esc(error.message)}.`,
        summary: `Your comment ${esc(error.message)}`,
      });
    } else if (error.field.startsWith('answers.')) {
      add('', {
        summary:
          'An answer was sent for a statement this form does not ask. Reload the page and answer again.',
        inline: '',
      });
    } else {
      add('', { summary: `${esc(error.field)} ${esc(error.message)}`, inline: '' });
    }
  }
  return byTarget;
}

function errorSummary(problems: Map<string, ShownProblem[]>): string {
  const all = [...problems.values()].flat();
  if (!all.length) return '';
  const unanswered = all.filter((p) => p.missing).length;
  const heading =
    unanswered === all.length
      ? `Please answer ${unanswered === 1 ? '1 more statement' : `${unanswered} more statements`}`
      : 'There is a problem with your answers';
  const items = all
    .map((p) => `<li>${p.target ? `<a href="#${p.target}">${p.summary}</a>` : p.summary}</li>`)
    .join('');
  return `<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${heading}</h2>
<p>Nothing has been saved yet. What you entered is kept below.</p>
<ul>${items}</ul>
</div>`;
}

function inlineErrors(id: string, problems: ShownProblem[] | undefined): string {
  if (!problems?.length) return '';
  return `<p class="field-error" id="${id}-error"><span class="visually-hidden">Error: </span>${problems.map((p) => p.inline).join(' ')}</p>`;
}

/** The form, fresh or coming back with problems (`state`). */
export function pulseFormPage(token: string, form: PulseForm, state?: FormState): string {
  const labels = scaleLabels(form.scale);
  // Worded options stack on a phone and sit in one row on a wider screen when few enough to fit.
  const layoutClass =
    form.scale.labels === undefined ? 'numeric' : labels.length <= 7 ? 'labelled row' : 'labelled';
  const problems = describeProblems(form, state?.errors ?? []);
  const self = form.audience === 'leader_self';
  const total = form.items.length;
  const answers = state?.answers ?? {};

  const fieldsets = form.items
    .map((item, index) => {
      const id = fieldsetId(index);
      const own = problems.get(id);
      const chosen = Object.hasOwn(answers, item.key) ? answers[item.key] : undefined;
      const options = labels
        .map((label, i) => {
          const value = form.scale.min + i;
          return `<label class="opt"><input type="radio" name="answers[${esc(item.key)}]" value="${value}"${chosen === value ? ' checked' : ''}><span>${esc(label)}</span></label>`;
        })
        .join('');
      return `<fieldset class="q${own ? ' invalid' : ''}" id="${id}"${own ? ` aria-describedby="${id}-error"` : ''}>
<legend>${esc(item.text)}</legend>
${inlineErrors(id, own)}<div class="opts ${layoutClass}">${options}</div>
</fieldset>`;
    })
    .join('\n');

  const commentProblems = problems.get('comment');
  const commentText = typeof state?.comment === 'string' ? state.comment : '';
  const comment = form.allowsComment
    ? `<div class="card">
<label class="field" for="comment">Anything you want to add? <span class="meta">(optional)</span></label>
<p class="hint" id="comment-hint">Your leader sees comments without any of your scores, and only when at least ${form.minCommentGroup} people in your team commented. Leave out names and details that would identify you.</p>
${inlineErrors('comment', commentProblems)}<textarea id="comment" name="comment" rows="5" maxlength="${MAX_COMMENT_LENGTH}" aria-describedby="comment-hint${commentProblems ? ' comment-error' : ''}"${commentProblems ? ' class="invalid"' : ''}>
${esc(commentText)}</textarea>
</div>`
    : '';

  const title = `${state?.errors.length ? 'Error: ' : ''}${form.teamName} pulse`;
  const body = `${errorSummary(problems)}
<h1>${self ? `Your view of ${esc(form.teamName)}` : `How is ${esc(form.teamName)} doing?`}</h1>
<p class="meta">${esc(form.instrumentName)} · open until ${esc(closesText(form.closesAt))}</p>
<section class="card privacy" aria-labelledby="privacy-title">
<h2 id="privacy-title">${self ? 'Your self-view' : 'Who sees your answers'}</h2>
${privacyList(form.audience, form.teamName, form)}
</section>
<p class="lead">${
    self
      ? `Answer each of the ${total} statements as you see yourself leading the team.`
      : `Choose one answer for each of the ${total} statements. It takes about two minutes.`
  }</p>
<form id="pulse-form" method="post" action="/r/${esc(encodeURIComponent(token))}">
${fieldsets}
${comment}
<div class="submit-bar">
<div class="progress-wrap" id="progress-wrap"><p class="progress" id="progress" role="status"><span class="count" id="answered-count" data-total="${total}"></span> of ${total} answered</p><div class="bar" aria-hidden="true"><span id="progress-fill"></span></div></div>
<button type="submit">Send answers</button>
</div>
</form>`;
  return layout(title, body, form.organisationName, true);
}

/** After a successful submission. */
export function thanksPage(
  teamName: string,
  audience: PulseForm['audience'],
  promises: Promises,
): string {
  const self = audience === 'leader_self';
  const body = `<h1>Thank you</h1>
<div class="card">
<p class="lead">${self ? `Your view of ${esc(teamName)} has been saved.` : `Your answers for ${esc(teamName)} have been received.`}</p>
<h2>${self ? 'What happens with your self-view' : 'Who sees your answers'}</h2>
<div class="privacy">${privacyList(audience, teamName, promises, true)}</div>
</div>
<p>Your link has now been used and cannot be used again. You can close this page.</p>`;
  return layout(`Thank you · ${teamName}`, body);
}

export type ProblemKind = 'not_found' | 'answered' | 'closed' | 'unsupported' | 'failed';

const PROBLEMS: Record<ProblemKind, { title: string; heading: string; text: string[] }> = {
  not_found: {
    title: 'Link not valid',
    heading: 'This link is not valid',
    text: [
      'Check that you opened the whole link from your invitation or reminder email; some email programs break long links.',
      'If it still does not work, use the link from the newest email you received for this survey.',
    ],
  },
  answered: {
    title: 'Already answered',
    heading: 'You have already answered',
    text: [
      'This link has already been used to answer, and each link answers only once. Your earlier answers are kept and cannot be changed.',
      'Thank you for taking part. You can close this page.',
    ],
  },
  closed: {
    title: 'Round closed',
    heading: 'This round has closed',
    text: [
      'The survey this link belongs to no longer takes answers.',
      'Thank you for your interest. You can close this page; the next round comes with a new invitation.',
    ],
  },
  unsupported: {
    title: 'Form not recognised',
    heading: 'Your answers could not be read',
    text: ['Nothing has been saved. Go back to the form and send it again from the page itself.'],
  },
  failed: {
    title: 'Something went wrong',
    heading: 'Something went wrong',
    text: ['Nothing has been saved. Please go back and send your answers again in a moment.'],
  },
};

export function problemPage(kind: ProblemKind): string {
  const p = PROBLEMS[kind];
  return layout(
    p.title,
    `<h1>${esc(p.heading)}</h1>
<div class="card">${p.text.map((t) => `<p>${esc(t)}</p>`).join('')}</div>`,
  );
}
