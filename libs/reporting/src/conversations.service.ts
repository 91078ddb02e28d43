import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AuditService, type AuditActor } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import { DomainError, InvalidInput, UUID_PATTERN } from '@trellis/errors';
import { JobQueue } from '@trellis/jobs';
import { secretMailSender, type MailSender } from '@trellis/notifications';
import {
  AnswerSealer,
  CONVERSATION_TOKEN_SHAPE,
  ParticipationReader,
  type InstrumentDef,
} from '@trellis/surveys';
import {
  appendReply,
  hiddenOf,
  repliesOf,
  type ReplyBy,
  type StoredReply,
} from './comment-conversation.store';
import { roundPlacement } from './comment-placement.store';
import { CommentsService, type ShownComment } from './comments.service';

export const REPLY_MAX = 2000;
export const HIDE_REASON_MAX = 500;

/** One message of a conversation, as its reader is shown it: a role, never a person. */
export interface ReplyView {
  by: ReplyBy;
  /** "your team's leader", "a leader of Sales", "HR", "you" / "the author". */
  label: string;
  text: string;
  /** The day only. */
  day: string;
}

export interface AuthorCommentView {
  /** The comment's shown id, the one its readers see. */
  id: string;
  theme: string;
  text: string;
  /** Where it is read; null while the round is open or when it is read nowhere. */
  readAt: string | null;
  hidden: { reason: string } | null;
  replies: ReplyView[];
}

export interface AuthorConversationView {
  round: { label: string; closed: boolean };
  comments: AuthorCommentView[];
}

interface AuthorRow {
  id: string;
  roundId: string;
  unitId: string;
  organisationId: string;
  sealed: Buffer;
  status: string;
  periodStart: string;
  periodEnd: string;
  campaign: string | null;
  definition: InstrumentDef;
}

/** Text of a message: trimmed, not blank, at most REPLY_MAX characters, no NUL. */
function readText(value: unknown, field: string, max: number): string {
  const text = typeof value === 'string' ? value.trim() : null;
  if (text === null) throw new InvalidInput([{ field, message: 'must be text' }]);
  if (text === '') throw new InvalidInput([{ field, message: 'must not be blank' }]);
  if (text.length > max || text.includes('\u0000')) {
    throw new InvalidInput([{ field, message: `must be text of at most ${max} characters` }]);
  }
  return text;
}

function readRound(value: unknown): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value)) {
    throw new InvalidInput([
      { field: 'round', message: 'must be the id of the round the comment is in' },
    ]);
  }
  return value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const NOT_A_CONVERSATION =
  'token: this conversation link is not known. A conversation opens once the round has closed and your comments are read; check that the link is complete.';

/**
 * Conversations on comments, and HR's moderation. Readers (leaders of the unit a comment is read
 * at, HR) reply to a comment by its shown id; the author reads and answers through the secret
 * link shown once on their thank-you page, found by its keyed hash on their `comment` row, which
 * only the mix wrote. Messages are stored by the comment's shown id and a role, never a person.
 */
@Injectable()
export class ConversationsService {
  private readonly logger = new Logger(ConversationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: AnswerSealer,
    private readonly comments: CommentsService,
    private readonly audit: AuditService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {
    this.mail = secretMailSender(config.env);
    this.participation = new ParticipationReader(sealer);
  }

  /** For a first read that decides a round's placement (comment-placement.store.ts). */
  private readonly participation: ParticipationReader;

  private readonly mail: MailSender;

  /**
   * Mails the author their link, to an address they typed, in this request: the address is in
   * no row, no job and no log line (a queued job would hold the address beside the link in
   * Redis, retried and kept for a day). If the mail server refuses, they are told at once and
   * keep the link on the page. Only a link the application made today or yesterday (its proof,
   * from the thank-you page) is mailed: its comment may still wait in the pool, unmixed, so the
   * database cannot be asked, and must not be.
   */
  async emailLink(token: string, input: { email?: unknown; proof?: unknown }): Promise<void> {
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    if (!EMAIL.test(email) || email.length > 254) {
      throw new InvalidInput([{ field: 'email', message: 'must be an email address' }]);
    }
    const day = (offset: number) =>
      new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
    const proven =
      CONVERSATION_TOKEN_SHAPE.test(token) &&
      typeof input.proof === 'string' &&
      [0, 1].some((d) => this.sealer.linkMailProof(token, day(d)) === input.proof);
    if (!proven) throw new DomainError('not_found', NOT_A_CONVERSATION);
    const link = `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/c/${token}`;
    try {
      await this.mail.send({
        to: email,
        subject: 'Your private link to the conversation on your comments',
        text: [
          'You asked for this link after commenting in a pulse survey.',
          '',
          'Open it to read replies to your comments and to answer. It is the only way in, so',
          'keep it to yourself: anyone with it can read and answer as you.',
          '',
          link,
          '',
          'Trellis did not store this email address.',
        ].join('\n'),
      });
    } catch {
      throw new DomainError(
        'unavailable',
        'email: the mail could not be sent just now. Copy or bookmark the link on this page instead.',
      );
    }
  }

  /** A reader's reply to a comment shown at this unit, in a closed round. Audited with the actor. */
  async reply(
    unitId: string,
    commentId: string,
    actor: AuditActor,
    asHr: boolean,
    input: { round?: unknown; text?: unknown },
  ): Promise<ShownComment> {
    const round = readRound(input.round);
    const text = readText(input.text, 'text', REPLY_MAX);
    const comment = await this.shownComment(unitId, commentId, round);
    await this.db.transaction(async (tx) => {
      // A leader signs with the unit they lead: the reading unit, or the nearest one above it.
      const [led] = asHr
        ? []
        : await tx.query<{ id: string }[]>(
            `with recursive up as (select id, parent_id, 0 as depth from unit where id = $1 union all
                                   select u.id, u.parent_id, up.depth + 1 from unit u join up on u.id = up.parent_id)
             select up.id from up join membership m on m.unit_id = up.id and m.role = 'leader' and m.person_id = $2
              order by up.depth limit 1`,
            [unitId, actor.personId],
          );
      await appendReply(tx, {
        organisationId: actor.organisationId,
        roundId: round,
        commentKey: commentId,
        shownAt: unitId,
        by: asHr ? 'hr' : 'leader',
        signedAs: asHr ? null : (led?.id ?? unitId),
        body: text,
      });
      await this.audit.record(
        actor,
        {
          action: 'comment.reply',
          targetKind: 'unit',
          targetId: unitId,
          detail: { round, comment: commentId, as: asHr ? 'hr' : 'leader' },
        },
        tx,
      );
    });
    return (await this.shownComment(unitId, commentId, round)) ?? comment;
  }

  /**
   * HR withholds a comment from every reader (or shows it again), with a reason its author is
   * shown. The pool, its counts and the placement do not change: the comment still counts as
   * one of its author's, only its text is withheld.
   */
  async moderate(
    unitId: string,
    commentId: string,
    actor: AuditActor,
    input: { round?: unknown; hidden?: unknown; reason?: unknown },
  ): Promise<ShownComment> {
    const round = readRound(input.round);
    const hidden = input.hidden === undefined || input.hidden === true || input.hidden === 'true';
    if (!hidden && input.hidden !== false && input.hidden !== 'false') {
      throw new InvalidInput([{ field: 'hidden', message: 'must be true or false' }]);
    }
    const reason = hidden ? readText(input.reason, 'reason', HIDE_REASON_MAX) : null;
    await this.shownComment(unitId, commentId, round);
    await this.db.transaction(async (tx) => {
      if (reason !== null) {
        await tx.query(
          `insert into comment_hidden (organisation_id, round_id, comment_key, reason, hidden_on)
           values ($1, $2, $3, $4, current_date)
           on conflict (round_id, comment_key) do update set reason = excluded.reason, hidden_on = excluded.hidden_on`,
          [actor.organisationId, round, commentId, reason],
        );
      } else {
        await tx.query(`delete from comment_hidden where round_id = $1 and comment_key = $2`, [
          round,
          commentId,
        ]);
      }
      await this.audit.record(
        actor,
        {
          action: hidden ? 'comment.hide' : 'comment.unhide',
          targetKind: 'unit',
          targetId: unitId,
          detail: { round, comment: commentId, ...(reason !== null ? { reason } : {}) },
        },
        tx,
      );
    });
    return this.shownComment(unitId, commentId, round);
  }

  /** The author's view behind their link: their comments of that round and the conversations. */
  async authorView(token: string): Promise<AuthorConversationView> {
    return this.db.transaction(async (tx) => {
      const row = await this.authorRow(tx, token);
      const closed = row.status === 'closed';
      const placement = closed ? await roundPlacement(tx, row.roundId, this.participation) : null;
      const readAt = placement?.find((p) => p.unitId === row.unitId)?.shownAt ?? null;
      const [unit] = readAt
        ? await tx.query<{ name: string }[]>(`select name from unit where id = $1`, [readAt])
        : [];
      const list = this.sealer.openAuthorComments(row.roundId, row.unitId, row.sealed);
      const keys = list.map((_, i) => this.sealer.commentKey(row.id, i));
      const replies = await repliesOf(tx, row.roundId, keys);
      const hidden = await hiddenOf(tx, row.roundId);
      const names = new Map(row.definition.dimensions.map((d) => [d.key, d.name]));
      const period =
        row.periodStart === row.periodEnd
          ? row.periodStart
          : `${row.periodStart} – ${row.periodEnd}`;
      return {
        round: { label: row.campaign ? `${row.campaign}, ${period}` : period, closed },
        comments: list.map((c, i) => {
          const h = hidden.get(keys[i]);
          return {
            id: keys[i],
            theme: c.dimension === null ? 'General' : (names.get(c.dimension) ?? c.dimension),
            text: c.text,
            readAt: unit?.name ?? null,
            hidden: h ? { reason: h.reason } : null,
            replies: (replies.get(keys[i]) ?? []).map((r) => authorLabel(r, row.unitId)),
          };
        }),
      };
    });
  }

  /**
   * The author answers on one of their comments. Only once the round is closed and the comment
   * is read somewhere; the message goes to that unit's leaders, or to HR when HR wrote last.
   * Not audited: an audit entry would be a timed record of the author's act, and there is no
   * actor to name. The worker tells the readers (a job naming only the message).
   */
  async answer(
    token: string,
    input: { comment?: unknown; text?: unknown },
  ): Promise<{ commentId: string }> {
    const commentId = typeof input.comment === 'string' ? input.comment : '';
    const { replyId } = await this.db.transaction(async (tx) => {
      const row = await this.authorRow(tx, token);
      const list = this.sealer.openAuthorComments(row.roundId, row.unitId, row.sealed);
      const index = list.findIndex((_, i) => this.sealer.commentKey(row.id, i) === commentId);
      if (index < 0) {
        throw new InvalidInput([{ field: 'comment', message: 'is not one of your comments' }]);
      }
      const text = readText(input.text, 'text', REPLY_MAX);
      const placement =
        row.status === 'closed' ? await roundPlacement(tx, row.roundId, this.participation) : null;
      const readAt = placement?.find((p) => p.unitId === row.unitId)?.shownAt ?? null;
      if (!readAt) {
        throw new DomainError(
          'conflict',
          'comment: nobody reads this comment yet, so there is no one to answer',
        );
      }
      await appendReply(tx, {
        organisationId: row.organisationId,
        roundId: row.roundId,
        commentKey: commentId,
        shownAt: readAt,
        by: 'author',
        body: text,
      });
      const [stored] = await tx.query<{ id: string }[]>(
        `select id from comment_reply where round_id = $1 and comment_key = $2 order by seq desc limit 1`,
        [row.roundId, commentId],
      );
      return { replyId: stored.id };
    });
    try {
      await this.jobs.add('conversation.notify', { replyId });
    } catch (error) {
      // The answer is stored; its readers see it on the comments page whatever happens to the mail.
      this.logger.warn({ err: error }, 'conversation answer stored; its notice was not queued');
    }
    return { commentId };
  }

  private async authorRow(tx: { query: DataSource['query'] }, token: string): Promise<AuthorRow> {
    // A malformed link is hashed and looked up like any other, so a refusal takes the same path.
    const hash = this.sealer.conversationHash(
      CONVERSATION_TOKEN_SHAPE.test(token) ? token : `invalid\0${token}`,
    );
    const [row] = await tx.query<AuthorRow[]>(
      `select c.id, c.round_id as "roundId", c.unit_id as "unitId", c.organisation_id as "organisationId",
              c.sealed, r.status, r.period_start::text as "periodStart", r.period_end::text as "periodEnd",
              cp.name as campaign, v.definition
         from comment c join round r on r.id = c.round_id
         join instrument_version v on v.id = r.instrument_version_id
         left join campaign cp on cp.id = r.campaign_id
        where c.conversation = $1`,
      [hash],
    );
    if (!row) throw new DomainError('not_found', NOT_A_CONVERSATION);
    return row;
  }

  private async shownComment(
    unitId: string,
    commentId: string,
    round: string,
  ): Promise<ShownComment> {
    const view = await this.comments.unitComments(unitId, { round });
    const comment = view.status === 'shown' ? view.comments.find((c) => c.id === commentId) : null;
    if (!comment) {
      throw new DomainError(
        'not_found',
        'commentId: no such comment shown at this unit in that round',
      );
    }
    return comment;
  }
}

/** How the author is told who wrote: a role, and the unit when it is not their own team. */
function authorLabel(r: StoredReply, ownUnit: string): ReplyView {
  const label =
    r.by === 'author'
      ? 'you'
      : r.by === 'hr'
        ? 'HR'
        : (r.signedAs ?? r.shownAt) === ownUnit
          ? "your team's leader"
          : `a leader of ${r.signedAsName ?? r.shownAtName}`;
  return { by: r.by, label, text: r.body, day: r.writtenOn };
}
