import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { organisationAnonymity, revealGroup } from '@trellis/anonymity';
import { AppConfig } from '@trellis/config';
import { JobQueue } from '@trellis/jobs';
import { renderFlagEmail, slackPayload, type FlagNews } from './flag-message';
import { MAIL_SENDER, type MailSender } from './mail.sender';
import { postWebhook } from './webhook-post';

/**
 * What a failed webhook delivery records, whatever the reason: an admin reads it, and a reason
 * (refused, timed out, answered 404) would let them map ports and hosts through the worker.
 * The reason goes to the worker's log.
 */
export const COULD_NOT_DELIVER = 'could not deliver to the webhook';

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface NotificationView {
  id: string;
  roundId: string;
  unitId: string;
  unitName: string;
  flagCode: string;
  channel: 'email' | 'webhook';
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  sentAt: string | null;
}

/**
 * A confirmed flag is news when the team's previous round did not confirm it, and only in the
 * team's latest round of the last 30 days: re-aggregating or importing old rounds is history.
 * Recipients: the team's leaders, HR when the organisation asks for it, and its webhook.
 * The unique key makes re-aggregation record nothing twice.
 */
const RECORD_NEW_FLAGS = `
  with cur as (
    select r.id, r.organisation_id, r.period_start, o.settings
      from round r join organisation o on o.id = r.organisation_id
     where r.id = $1 and r.status = 'closed' and r.aggregated_at is not null
       and r.period_end >= current_date - 30
  ),
  fresh as (
    select f.unit_id, f.code
      from flag f join cur on cur.id = f.round_id
     where f.level = 'confirmed'
       and not exists (
         select 1 from team_round t join round later on later.id = t.round_id
          where t.unit_id = f.unit_id and later.aggregated_at is not null
            and later.period_start > cur.period_start)
       and not exists (
         select 1 from flag p
          where p.unit_id = f.unit_id and p.code = f.code and p.level = 'confirmed'
            and p.round_id = (
              select t.round_id from team_round t join round earlier on earlier.id = t.round_id
               where t.unit_id = f.unit_id and earlier.aggregated_at is not null
                 and earlier.period_start < cur.period_start
               order by earlier.period_start desc, earlier.id desc limit 1))
  ),
  recipients as (
    select fr.unit_id, fr.code, 'email' as channel, p.email as recipient
      from fresh fr
      join membership m on m.unit_id = fr.unit_id and m.role = 'leader'
      join person p on p.id = m.person_id
    union
    select fr.unit_id, fr.code, 'email', p.email
      from fresh fr cross join cur
      join organisation_role orl on orl.organisation_id = cur.organisation_id and orl.role = 'hr'
      join person p on p.id = orl.person_id
     where cur.settings->'notifications'->>'notifyHr' = 'true'
    union
    select fr.unit_id, fr.code, 'webhook', cur.settings->'notifications'->>'webhookUrl'
      from fresh fr cross join cur
     where cur.settings->'notifications'->>'webhookUrl' is not null
  )
  insert into notification (organisation_id, round_id, unit_id, flag_code, channel, recipient)
  select cur.organisation_id, cur.id, r.unit_id, r.code, r.channel, r.recipient
    from recipients r cross join cur
  on conflict do nothing
  returning id`;

interface Delivery {
  id: string;
  status: NotificationStatus;
  channel: 'email' | 'webhook';
  recipient: string;
  unitId: string;
  unitName: string;
  organisationName: string;
  periodStart: string;
  periodEnd: string;
  flagCode: string;
  explanation: string | null;
  actions: string[] | null;
  /** The stored decision for the team's own respondents in that round; null when none. */
  ownShown: boolean | null;
  ownRespondents: number | null;
  settings: Record<string, unknown>;
  /** Whether the round's results were computed on the organisation's current basis. */
  current: boolean;
}

/**
 * Tells leaders (and HR, and a chat channel) about new confirmed flags. Aggregation only records
 * what is due, in the database; delivery runs in its own jobs with retries and backoff, so a
 * slow or failing receiver never holds aggregation up, and each failure stays visible.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
    @Inject(MAIL_SENDER) private readonly mail: MailSender,
  ) {}

  /** Records the notifications a freshly aggregated round calls for and queues their delivery. */
  async recordNewFlags(roundId: string): Promise<number> {
    const rows = await this.db.query<{ id: string }[]>(RECORD_NEW_FLAGS, [roundId]);
    for (const row of rows) await this.enqueue(row.id);
    return rows.length;
  }

  /**
   * Queues again every notification still pending whose job is gone, completed or failed for good
   * (Redis was away, or the job stalled out): the database says what is undelivered.
   */
  async sweep(): Promise<number> {
    const rows = await this.db.query<{ id: string }[]>(
      `select id from notification where status = 'pending' and created_at < now() - interval '5 seconds'`,
    );
    let requeued = await this.sweepConversationAnswers();
    for (const row of rows) {
      const outcome = await this.jobs
        .redrive(
          'notification.deliver',
          { notificationId: row.id },
          {
            attempts: this.config.env.NOTIFY_ATTEMPTS,
            backoffMs: this.config.env.NOTIFY_RETRY_BASE_MS,
          },
        )
        .catch((error: unknown) => {
          this.logger.warn(
            { err: error, notificationId: row.id },
            'notification waits for the next sweep',
          );
          return 'present' as const;
        });
      if (outcome === 'queued') requeued++;
    }
    return requeued;
  }

  private async enqueue(notificationId: string): Promise<void> {
    try {
      await this.jobs.add(
        'notification.deliver',
        { notificationId },
        {
          attempts: this.config.env.NOTIFY_ATTEMPTS,
          backoffMs: this.config.env.NOTIFY_RETRY_BASE_MS,
        },
      );
    } catch (error) {
      this.logger.warn({ err: error, notificationId }, 'notification waits for the next sweep');
    }
  }

  /**
   * Authors' answers whose readers were not told (the queue was away when the answer was stored).
   * A message has only its day, so a job waiting or running is simply left alone by `redrive`.
   */
  private async sweepConversationAnswers(): Promise<number> {
    const rows = await this.db.query<{ id: string }[]>(
      `select id from comment_reply where by = 'author' and not notified and written_on >= current_date - 7`,
    );
    let requeued = 0;
    for (const row of rows) {
      const outcome = await this.jobs
        .redrive('conversation.notify', { replyId: row.id })
        .catch(() => 'present' as const);
      if (outcome === 'queued') requeued++;
    }
    return requeued;
  }

  /**
   * Tells a comment's readers that its author answered: the leaders of the unit the comment is
   * read at, or HR when HR wrote last before the answer. The mail names the unit and the round,
   * never the author (nobody the application knows) nor the answer's text: readers follow the
   * link and sign in. Sent once: the message is flagged in the same transaction that sends it,
   * so a retry after a success sends nothing more.
   */
  async notifyConversationAnswer(replyId: string): Promise<'sent' | 'skipped'> {
    return this.db.transaction(async (tx) => {
      const [reply] = await tx.query<
        {
          roundId: string;
          shownAt: string;
          unitName: string;
          organisationId: string;
          period: string;
          notified: boolean;
          audience: 'hr' | 'leader';
        }[]
      >(
        `select r.round_id as "roundId", r.shown_at as "shownAt", u.name as "unitName",
                r.organisation_id as "organisationId", r.notified,
                to_char(rd.period_start, 'YYYY-MM-DD') || ' – ' || to_char(rd.period_end, 'YYYY-MM-DD') as period,
                coalesce((select p.by from comment_reply p
                           where p.round_id = r.round_id and p.comment_key = r.comment_key
                             and p.seq < r.seq and p.by <> 'author'
                           order by p.seq desc limit 1), 'leader') as audience
           from comment_reply r join unit u on u.id = r.shown_at join round rd on rd.id = r.round_id
          where r.id = $1 and r.by = 'author'
          for update of r`,
        [replyId],
      );
      if (!reply || reply.notified) return 'skipped';
      const hr = () =>
        tx.query<{ email: string }[]>(
          `select distinct p.email from organisation_role o join person p on p.id = o.person_id
            where o.organisation_id = $1 and o.role = 'hr' order by p.email`,
          [reply.organisationId],
        );
      // A unit without leaders of its own (a department) is read by HR: HR is told then.
      let recipients = reply.audience === 'hr' ? await hr() : [];
      if (reply.audience !== 'hr') {
        recipients = await tx.query<{ email: string }[]>(
          `select distinct p.email from membership m join person p on p.id = m.person_id
            where m.unit_id = $1 and m.role = 'leader' order by p.email`,
          [reply.shownAt],
        );
        if (recipients.length === 0) recipients = await hr();
      }
      const url = new URL(
        `/app/units/${reply.shownAt}/comments?round=${reply.roundId}`,
        this.config.env.PUBLIC_URL,
      ).href;
      for (const r of recipients) {
        await this.mail.send({
          to: r.email,
          subject: `A comment at ${reply.unitName} has an answer`,
          text: [
            `The author of a comment read at ${reply.unitName} (round ${reply.period}) answered your conversation.`,
            '',
            `Read it on the comments page: ${url}`,
            '',
            'Who wrote the comment is not known to Trellis, and this mail does not say.',
          ].join('\n'),
        });
      }
      await tx.query(`update comment_reply set notified = true where id = $1`, [replyId]);
      return 'sent';
    });
  }

  /**
   * One delivery attempt. The row stays locked while sending, so two workers never send the
   * same message at once; a failure is written down before the job is retried.
   */
  async deliver(
    notificationId: string,
    finalAttempt: boolean,
  ): Promise<'sent' | 'skipped' | 'failed'> {
    const outcome = await this.db.transaction(async (tx) => {
      const [d] = await tx.query<Delivery[]>(
        `select n.id, n.status, n.channel, n.recipient, n.unit_id as "unitId", u.name as "unitName",
                o.name as "organisationName", to_char(r.period_start, 'YYYY-MM-DD') as "periodStart",
                to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd", n.flag_code as "flagCode",
                f.explanation, f.actions, v.shown as "ownShown", v.respondents as "ownRespondents", o.settings,
                r.results_epoch is not distinct from o.results_epoch as current
           from notification n
           join unit u on u.id = n.unit_id
           join organisation o on o.id = n.organisation_id
           join round r on r.id = n.round_id
           left join flag f on f.round_id = n.round_id and f.unit_id = n.unit_id and f.code = n.flag_code
           left join round_unit_visibility v on v.round_id = n.round_id and v.unit_id = n.unit_id and v.own
          where n.id = $1
          for update of n skip locked`,
        [notificationId],
      );
      if (!d || d.status !== 'pending') return { result: 'skipped' as const };
      let error: string | null = null;
      if (d.explanation === null) error = 'the flag is gone: the round was aggregated again';
      // Computed on a tree or settings since changed: its text may not be sent until re-derived.
      else if (!d.current)
        error = 'the round is being recomputed; the flag is sent once it is current';
      else {
        try {
          await this.send(d);
        } catch (e) {
          error = e instanceof Error ? e.message : String(e);
        }
      }
      const status: NotificationStatus =
        error === null ? 'sent' : finalAttempt ? 'failed' : 'pending';
      await tx.query(
        `update notification set status = $2, attempts = attempts + 1, last_error = $3,
                last_attempt_at = now(), sent_at = case when $2 = 'sent' then now() end
          where id = $1`,
        [notificationId, status, error?.slice(0, 500) ?? null],
      );
      return { result: status === 'pending' ? ('retry' as const) : status, error };
    });
    if (outcome.result === 'retry')
      throw new Error(`delivery failed, will retry: ${outcome.error}`);
    if (outcome.result === 'failed')
      this.logger.error(
        { notificationId, error: outcome.error },
        'notification could not be delivered',
      );
    return outcome.result;
  }

  private async send(d: Delivery): Promise<void> {
    // A flag's text is built from the team's figures: it leaves only through the decision the
    // round was aggregated under, the same one the report reads.
    const news = revealGroup<FlagNews>(
      d.ownShown === null || d.ownRespondents === null
        ? undefined
        : { shown: d.ownShown, respondents: d.ownRespondents },
      {
        organisationName: d.organisationName,
        unitName: d.unitName,
        flagCode: d.flagCode,
        explanation: d.explanation ?? '',
        actions: d.actions ?? [],
        periodStart: d.periodStart,
        periodEnd: d.periodEnd,
        reportUrl: new URL(`/app/units/${d.unitId}/report`, this.config.env.PUBLIC_URL).href,
      },
      organisationAnonymity(d.settings).minGroupSize,
    );
    if (news === null) throw new Error('the team’s results may not be shown for that round');
    if (d.channel === 'email') {
      await this.mail.send({ to: d.recipient, ...renderFlagEmail(news) });
      return;
    }
    let status: number;
    try {
      status = await postWebhook({
        url: d.recipient,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Trellis notifications',
          // Receivers can drop a repeat: a delivery may be retried after it actually arrived.
          'x-trellis-delivery': d.id,
        },
        body: JSON.stringify(slackPayload(news)),
        timeoutMs: this.config.env.WEBHOOK_TIMEOUT_MS,
        allowPrivate: this.config.env.WEBHOOK_ALLOW_PRIVATE,
      });
    } catch (error) {
      this.logger.warn(
        { notificationId: d.id, reason: error instanceof Error ? error.message : String(error) },
        'webhook not delivered',
      );
      throw new Error(COULD_NOT_DELIVER);
    }
    if (status < 200 || status >= 300) {
      this.logger.warn({ notificationId: d.id, status }, 'webhook not delivered');
      throw new Error(COULD_NOT_DELIVER);
    }
  }

  async list(
    organisationId: string,
    options: { status?: NotificationStatus; limit: number },
  ): Promise<NotificationView[]> {
    const rows = await this.db.query<
      (Omit<NotificationView, 'createdAt' | 'lastAttemptAt' | 'sentAt'> & {
        createdAt: Date;
        lastAttemptAt: Date | null;
        sentAt: Date | null;
      })[]
    >(
      `select n.id, n.round_id as "roundId", n.unit_id as "unitId", u.name as "unitName", n.flag_code as "flagCode",
              n.channel, n.recipient, n.status, n.attempts, n.last_error as "lastError",
              n.created_at as "createdAt", n.last_attempt_at as "lastAttemptAt", n.sent_at as "sentAt"
         from notification n join unit u on u.id = n.unit_id
        where n.organisation_id = $1 and ($2::text is null or n.status = $2)
        order by n.created_at desc, n.id limit $3`,
      [organisationId, options.status ?? null, options.limit],
    );
    return rows.map((r) => ({
      ...r,
      // A webhook address is a secret: show where it points, not its token.
      recipient: r.channel === 'webhook' ? new URL(r.recipient).origin : r.recipient,
      createdAt: r.createdAt.toISOString(),
      lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null,
      sentAt: r.sentAt?.toISOString() ?? null,
    }));
  }
}
