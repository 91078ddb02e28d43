import type { FieldProblem } from '@trellis/errors';
import type { AuthorCommentView, AuthorConversationView } from '@trellis/reporting';
import { ErrorSummary, Notice } from '../views/components';
import { Layout } from '../views/layout';

/**
 * The author's side of the conversations on their comments, behind the private link from their
 * thank-you page. Anonymous like the answering page: no console, no cookie, no CSRF token (the
 * link is the credential), and readers are named by role only.
 */

export interface AnswerState {
  comment: string;
  text: string;
  problems: FieldProblem[];
}

function AnswerForm({
  token,
  comment,
  state,
}: {
  token: string;
  comment: AuthorCommentView;
  state?: AnswerState;
}) {
  const id = `answer-${comment.id}`;
  const mine = state?.comment === comment.id ? state : undefined;
  const problem = mine?.problems.find((p) => p.field === 'text' || p.field === 'comment');
  return (
    <form method="post" action={`/c/${token}`} class="reply-form" aria-label="Answer">
      <input type="hidden" name="comment" value={comment.id} />
      <div class="field">
        <label for={id}>Your answer</label>
        {problem ? (
          <p class="error" id={`${id}-error`}>
            {problem.message}
          </p>
        ) : null}
        <textarea
          id={id}
          name="text"
          rows={3}
          maxLength={2000}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? `${id}-error` : undefined}
        >
          {mine?.text ?? ''}
        </textarea>
      </div>
      <button type="submit" class="primary">
        Send answer
      </button>
    </form>
  );
}

function CommentCard({
  token,
  comment,
  closed,
  state,
}: {
  token: string;
  comment: AuthorCommentView;
  closed: boolean;
  state?: AnswerState;
}) {
  return (
    <li class="card comment" id={`c-${comment.id}`}>
      <p class="kind">{comment.theme}</p>
      <p class="comment-text">{comment.text}</p>
      {comment.hidden ? (
        <p class="notice" role="note">
          HR has hidden this comment from its readers. Their reason: {comment.hidden.reason}
        </p>
      ) : null}
      <p class="muted">
        {!closed
          ? 'The round is still open: comments are read after it closes.'
          : comment.readAt
            ? `Read at ${comment.readAt}, with others' comments.`
            : 'Too few people commented for it to be read anywhere.'}
      </p>
      {comment.replies.length ? (
        <ol class="replies" aria-label="Conversation">
          {comment.replies.map((r) => (
            <li class={r.by === 'author' ? 'reply from-author' : 'reply'}>
              <p class="muted">
                {r.by === 'author' ? 'You' : `From ${r.label}`} · {r.day}
              </p>
              <p class="comment-text">{r.text}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No replies yet.</p>
      )}
      {closed && comment.readAt ? (
        <AnswerForm token={token} comment={comment} state={state} />
      ) : null}
    </li>
  );
}

export function ConversationPage({
  token,
  view,
  state,
  sent,
}: {
  token: string;
  view: AuthorConversationView;
  state?: AnswerState;
  sent?: boolean;
}) {
  return (
    <Layout title="Your comments" bodyClass="pulse" brandHref={null}>
      <h1>Your comments</h1>
      <p class="lead">{view.round.label}</p>
      <p>
        Only you have this link. Replies come from the people who read your comments, named by their
        role; they do not know who you are, and neither does Trellis.
      </p>
      {state?.problems.length ? <ErrorSummary problems={state.problems} /> : null}
      {sent ? <Notice>Your answer has been sent. Its readers are told by email.</Notice> : null}
      <ul class="comment-list">
        {view.comments.map((c) => (
          <CommentCard token={token} comment={c} closed={view.round.closed} state={state} />
        ))}
      </ul>
    </Layout>
  );
}

/** After the link was mailed, or could not be. */
export function LinkMailedPage({ failed }: { failed?: string }) {
  return (
    <Layout title={failed ? 'Not sent' : 'Link sent'} bodyClass="pulse" brandHref={null}>
      <h1>{failed ? 'The email was not sent' : 'Link sent'}</h1>
      <div class="card">
        {failed ? (
          <p role="alert">{failed}</p>
        ) : (
          <p>The link is on its way to the address you typed. Trellis has not kept the address.</p>
        )}
        <p>Go back to copy or bookmark the link if you have not done so yet.</p>
      </div>
    </Layout>
  );
}

export function ConversationNotFoundPage() {
  return (
    <Layout title="Link not known" bodyClass="pulse" brandHref={null}>
      <h1>This conversation link is not known</h1>
      <div class="card">
        <p>Check that you opened the whole link.</p>
        <p>
          A conversation opens once your answers have been stored with others' after the round
          closes; if you answered just now, come back after the round has closed.
        </p>
      </div>
    </Layout>
  );
}
