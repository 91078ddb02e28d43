import type {
  CommentRound,
  OrganisationCommentsView,
  ShownComment,
  UnitCommentsView,
} from '@trellis/reporting';
import { Notice, PostForm } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { usePage } from '../views/page-context';

/**
 * Comments pages: a unit's comment pool for a round (its leaders and HR), and HR's list of the
 * units with a pool. Comments stand on their own here, without any score, ordered by text, with
 * no date or id beside them: nothing pairs one with the team's answers or with another comment
 * of the same person.
 */

const MARK_WORDS = { acknowledged: 'Acknowledged', acted_on: 'Acted on' } as const;

function statusText(status: UnitCommentsView['status'], min: number): string {
  switch (status) {
    case 'open':
      return 'This round is still open. Comments are read only after it closes.';
    case 'no_round':
      return 'No round has asked this unit yet.';
    case 'none':
      return `No comments are read here for this round: fewer than ${min} people commented, or their comments are read at a unit above, with others.`;
    case 'shown':
      return '';
  }
}

function query(round: string | undefined, extra: Record<string, string | null> = {}): string {
  const params = new URLSearchParams();
  if (round) params.set('round', round);
  for (const [k, v] of Object.entries(extra)) if (v) params.set(k, v);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function RoundPicker({ rounds, round }: { rounds: CommentRound[]; round: CommentRound | null }) {
  return (
    <select id="round" name="round">
      {rounds.map((r) => (
        <option value={r.id} selected={r.id === round?.id}>
          {r.label}
          {r.closed ? '' : ' (open)'}
        </option>
      ))}
    </select>
  );
}

function Filters({ view }: { view: UnitCommentsView }) {
  return (
    <form method="get" action={consolePaths.unitComments(view.unit.id)} class="card toolbar">
      <div class="field">
        <label for="round">Round</label>
        <RoundPicker rounds={view.rounds} round={view.round} />
      </div>
      <div class="field">
        <label for="dimension">Theme</label>
        <select id="dimension" name="dimension">
          <option value="">All themes</option>
          {view.themes.map((t) => (
            <option value={t.key} selected={view.filter.dimension === t.key}>
              {t.name} ({t.count})
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="q">Words</label>
        <input id="q" name="q" type="search" maxLength={200} value={view.filter.q ?? ''} />
      </div>
      <button type="submit" class="primary">
        Show
      </button>
    </form>
  );
}

function MarkForm({ view, comment }: { view: UnitCommentsView; comment: ShownComment }) {
  const id = `mark-${comment.id}`;
  const back = query(view.round?.id, { dimension: view.filter.dimension, q: view.filter.q });
  return (
    <PostForm
      action={`${consolePaths.commentMark(view.unit.id, comment.id)}${back}`}
      class="toolbar comment-mark no-print"
      aria-label="Mark this comment"
    >
      <input type="hidden" name="round" value={view.round?.id ?? ''} />
      <div class="field">
        <label for={`${id}-status`}>Mark</label>
        <select id={`${id}-status`} name="status">
          <option value="none" selected={!comment.mark}>
            Not marked
          </option>
          {Object.entries(MARK_WORDS).map(([value, words]) => (
            <option value={value} selected={comment.mark?.status === value}>
              {words}
            </option>
          ))}
        </select>
      </div>
      {view.commitments.length ? (
        <div class="field">
          <label for={`${id}-commitment`}>Commitment (optional)</label>
          <select id={`${id}-commitment`} name="commitmentId">
            <option value="">None</option>
            {view.commitments.map((c) => (
              <option value={c.id} selected={comment.mark?.commitmentId === c.id}>
                {c.action.length > 60 ? `${c.action.slice(0, 59)}…` : c.action}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <button type="submit" class="secondary">
        Save mark
      </button>
    </PostForm>
  );
}

function backQuery(view: UnitCommentsView): string {
  return query(view.round?.id, { dimension: view.filter.dimension, q: view.filter.q });
}

/** The conversation with the comment's author, and a reply form signed by the reader's role. */
function Conversation({ view, comment }: { view: UnitCommentsView; comment: ShownComment }) {
  const id = `reply-${comment.id}`;
  return (
    <div class="conversation">
      {comment.replies.length ? (
        <ol class="replies" aria-label="Conversation with the author">
          {comment.replies.map((r) => (
            <li class={r.by === 'author' ? 'reply from-author' : 'reply'}>
              <p class="muted">
                {r.label} · {r.day}
              </p>
              <p class="comment-text">{r.text}</p>
            </li>
          ))}
        </ol>
      ) : null}
      <PostForm
        action={`${consolePaths.commentReply(view.unit.id, comment.id)}${backQuery(view)}`}
        class="reply-form no-print"
        aria-label="Reply to the author"
      >
        <input type="hidden" name="round" value={view.round?.id ?? ''} />
        <div class="field">
          <label for={id}>Reply to the author</label>
          <p class="hint" id={`${id}-hint`}>
            They read it through their private link, signed with your role, not your name.
          </p>
          <textarea
            id={id}
            name="text"
            rows={2}
            maxLength={2000}
            required
            aria-describedby={`${id}-hint`}
          />
        </div>
        <button type="submit" class="secondary">
          Send reply
        </button>
      </PostForm>
    </div>
  );
}

/** HR only: withhold a comment that names or threatens someone, or show it again. */
function ModerationForm({ view, comment }: { view: UnitCommentsView; comment: ShownComment }) {
  const id = `hide-${comment.id}`;
  return (
    <PostForm
      action={`${consolePaths.commentModeration(view.unit.id, comment.id)}${backQuery(view)}`}
      class="toolbar comment-moderation no-print"
      aria-label={comment.hidden ? 'Show this comment again' : 'Hide this comment'}
    >
      <input type="hidden" name="round" value={view.round?.id ?? ''} />
      {comment.hidden ? (
        <input type="hidden" name="hidden" value="false" />
      ) : (
        <div class="field">
          <label for={id}>Reason to hide (readers and the author see it)</label>
          <input id={id} name="reason" type="text" maxLength={500} required />
        </div>
      )}
      <button type="submit" class="secondary">
        {comment.hidden ? 'Show again' : 'Hide comment'}
      </button>
    </PostForm>
  );
}

function CommentItem({ view, comment }: { view: UnitCommentsView; comment: ShownComment }) {
  const commitment = view.commitments.find((c) => c.id === comment.mark?.commitmentId);
  const hr = usePage().viewer?.roles.includes('hr') ?? false;
  return (
    <li class="card comment" id={`c-${comment.id}`}>
      <p class="kind">{comment.theme}</p>
      {comment.hidden ? (
        <p class="comment-text muted">
          <em>Hidden by HR:</em> {comment.hidden.reason}
        </p>
      ) : (
        <p class="comment-text">{comment.text}</p>
      )}
      {comment.mark ? (
        <p class="muted">
          <span class="pill">{MARK_WORDS[comment.mark.status]}</span>
          {commitment ? ` · ${commitment.action}` : ''}
        </p>
      ) : null}
      <MarkForm view={view} comment={comment} />
      <Conversation view={view} comment={comment} />
      {hr ? <ModerationForm view={view} comment={comment} /> : null}
    </li>
  );
}

/** The report's link to the unit's comments: a page of their own, never beside the scores. */
export function CommentsLink({ unitId }: { unitId: string }) {
  return (
    <p class="no-print">
      <a href={consolePaths.unitComments(unitId)}>Comments</a>{' '}
      <span class="muted">(on a page of their own, without scores)</span>
    </p>
  );
}

const SAVED = {
  mark: 'Mark saved.',
  reply: 'Reply sent. The author reads it through their private link.',
  hidden: 'Comment hidden from every reader; its author is shown the reason.',
  shown: 'Comment shown again.',
} as const;

export function UnitCommentsPage({
  view,
  saved,
}: {
  view: UnitCommentsView;
  saved?: keyof typeof SAVED | null;
}) {
  const filtered = view.filter.dimension !== null || view.filter.q !== null;
  return (
    <Layout title={`Comments · ${view.unit.name}`} skipLabel="Skip to the comments">
      <p>
        <a href={consolePaths.unitReport(view.unit.id)}>← Report of {view.unit.name}</a>
      </p>
      <h1>Comments · {view.unit.name}</h1>
      <p class="muted">
        Shown only after a round closes and only when at least {view.minCommentGroup} people
        commented; comments from smaller teams beneath are read here, with others. No scores, no
        dates, ordered by their text.
      </p>
      {saved ? <Notice>{SAVED[saved]}</Notice> : null}
      {view.rounds.length ? <Filters view={view} /> : null}
      {view.status === 'shown' ? (
        <section aria-labelledby="pool-h">
          <h2 id="pool-h">
            {view.total} {view.total === 1 ? 'comment' : 'comments'} from {view.authors} people
            {view.round ? ` · ${view.round.label}` : ''}
          </h2>
          <ul class="facts" aria-label="Comments per theme">
            {view.themes.map((t) => (
              <li>
                <a
                  href={`${consolePaths.unitComments(view.unit.id)}${query(view.round?.id, { dimension: t.key })}`}
                >
                  <strong>{t.count}</strong> {t.name}
                </a>
              </li>
            ))}
          </ul>
          {filtered ? (
            <p role="status">
              {view.comments.length} of {view.total} match.{' '}
              <a href={`${consolePaths.unitComments(view.unit.id)}${query(view.round?.id)}`}>
                Show all
              </a>
            </p>
          ) : null}
          <ul class="comment-list">
            {view.comments.map((c) => (
              <CommentItem view={view} comment={c} />
            ))}
          </ul>
        </section>
      ) : (
        <Notice>{statusText(view.status, view.minCommentGroup)}</Notice>
      )}
      {view.below.length ? (
        <section class="card" aria-labelledby="below-h">
          <h2 id="below-h">Read at units beneath</h2>
          <ul>
            {view.below.map((b) => (
              <li>
                <a href={`${consolePaths.unitComments(b.unitId)}${query(view.round?.id)}`}>
                  {b.name}
                </a>{' '}
                <span class="muted">· {b.authors} people commented</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

export function OrganisationCommentsPage({ view }: { view: OrganisationCommentsView }) {
  const round = view.round?.id;
  return (
    <Layout title="Comments by unit" skipLabel="Skip to the units">
      <h1>Comments by unit</h1>
      <p class="muted">
        Each unit below has a comment pool of at least {view.minCommentGroup} people for the round.
        Comments of smaller teams are read at the unit above them.
      </p>
      {view.rounds.length ? (
        <form
          method="get"
          action={consolePaths.organisationComments(view.organisationId)}
          class="card toolbar"
        >
          <div class="field">
            <label for="round">Round</label>
            <RoundPicker rounds={view.rounds} round={view.round} />
          </div>
          <button type="submit" class="primary">
            Show
          </button>
        </form>
      ) : null}
      {view.pools.length ? (
        <section aria-labelledby="pools-h">
          <h2 id="pools-h">{view.round?.label}</h2>
          <ul class="comment-list">
            {view.pools.map((p) => (
              <li class="card">
                <a href={`${consolePaths.unitComments(p.unitId)}${query(round)}`}>{p.name}</a>
                <p class="muted">
                  {p.comments} comments from {p.authors} people
                </p>
              </li>
            ))}
          </ul>
          <p>
            <a
              class="button"
              href={`${consolePaths.commentsCsv(view.organisationId)}${query(round)}`}
            >
              Download these comments (CSV)
            </a>
          </p>
        </section>
      ) : (
        <Notice>
          {view.status === 'open'
            ? 'This round is still open. Comments are read only after it closes.'
            : view.status === 'no_round'
              ? 'No round yet.'
              : 'No unit has a comment pool in this round.'}
        </Notice>
      )}
    </Layout>
  );
}
