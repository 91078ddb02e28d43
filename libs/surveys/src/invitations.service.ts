import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@trellis/config';
import {
  INVITATION_SENDER,
  type InvitationMessage,
  type InvitationSender,
} from './delivery/invitation-sender';
import { ParticipationReader } from './participation-reader';

export const PULSE_TOKEN_PREFIX = 'p_';

/** How many times a send loop goes back to rows someone else held, before leaving them to the reconciler. */
const LOCKED_PASSES = 10;

/**
 * A reminder "now" skips whoever any reminder reached this recently, and a second request within
 * this time is the first one again: pressing the button twice mails no one twice.
 */
export const REMIND_NOW_QUIET_MINUTES = 10;

export function hashPulseToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const INSERT_TOKEN = `insert into invitation_token (token_hash, invitation_id) values ($1, $2)`;

interface PgClient {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * Runs statements on the transaction's own connection as named prepared statements (TypeORM
 * sends every statement unnamed, so PostgreSQL plans it again each time). A statement's name is
 * its text's hash, so each text is prepared once per connection.
 */
async function prepared(tx: EntityManager) {
  const client = (await tx.queryRunner!.connect()) as PgClient;
  return async <R = unknown>(text: string, values: unknown[]): Promise<R[]> => {
    const name = `invite-${createHash('sha1').update(text).digest('base64url')}`;
    return (await client.query<R>({ name, text, values })).rows;
  };
}

interface Pending {
  id: string;
  email: string;
  personName: string;
  kind: 'member' | 'leader_self';
  teamName: string;
  organisationName: string;
  closesAt: Date;
  timeZone: string;
}

const PENDING = `select i.id, p.email, p.name as "personName", i.kind, u.name as "teamName", o.name as "organisationName",
  r.closes_at as "closesAt", coalesce(c.timezone, 'UTC') as "timeZone"
  from invitation i join person p on p.id = i.person_id join unit u on u.id = i.unit_id
  join round r on r.id = i.round_id join organisation o on o.id = i.organisation_id
  left join campaign c on c.id = r.campaign_id`;

/**
 * Sends invitations and reminders, one person per transaction: a crash or a mail failure leaves
 * everyone else's state exact, and the retried job continues with whoever is left. Each message
 * carries a fresh random link; only its hash is stored, and every link works until the round closes.
 */
@Injectable()
export class InvitationsService {
  private readonly logger = new Logger(InvitationsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(INVITATION_SENDER) private readonly sender: InvitationSender,
    private readonly config: AppConfig,
    private readonly participation: ParticipationReader,
  ) {}

  /**
   * Sends the round's unsent invitations, or with `only` those of the teams in one batch: a
   * team's batch is its id's hash modulo `batches`, so batches never share a person.
   */
  async invite(roundId: string, only?: { batch: number; batches: number }): Promise<number> {
    if (!only)
      return this.each(
        `${PENDING} where i.round_id = $1 and i.sent_at is null and r.status = 'open'`,
        [roundId],
        'invitation',
        `update invitation set sent_at = now() where id = $1`,
      );
    const { batch, batches } = only;
    if (
      !Number.isInteger(batches) ||
      batches < 1 ||
      !Number.isInteger(batch) ||
      batch < 0 ||
      batch >= batches
    )
      throw new RangeError(`no batch ${batch} of ${batches}`);
    return this.each(
      `${PENDING} where i.round_id = $1 and i.sent_at is null and r.status = 'open'
         and (hashtext(i.unit_id::text)::bigint % $2::int + $2::int) % $2::int = $3::int`,
      [roundId, batches, batch],
      'invitation',
      `update invitation set sent_at = now() where id = $1`,
    );
  }

  /** Reminds only those who have not answered, have not had this reminder yet and are still active. */
  async remind(roundId: string, index: number): Promise<number> {
    // Whether someone answered is known only here, by recomputing marks; someone who answers
    // while reminders go out may still get this one reminder.
    const answered = await this.participation.answeredInvitationIds(this.db, roundId);
    const sent = await this.each(
      `${PENDING} where i.round_id = $1 and r.status = 'open' and i.id <> all($3::uuid[]) and i.sent_at is not null
         and i.reminders_sent <= $2 and p.deactivated_at is null`,
      [roundId, index, answered],
      'reminder',
      `update invitation set reminders_sent = ${Number(index) + 1}, reminded_at = now() where id = $1`,
    );
    await this.db.query(
      `update round set reminders_sent = greatest(reminders_sent, $2) where id = $1`,
      [roundId, index + 1],
    );
    return sent;
  }

  /**
   * A reminder someone asked for now: to everyone of the open round who has not answered and was
   * not reminded (by any reminder) in the REMIND_NOW_QUIET_MINUTES before the request. Each person
   * is marked as they are mailed, so a retried job continues with whoever is left and mails no one
   * twice. Done (whoever it reached, even no one) once the row says `sent_at`.
   */
  async remindNow(reminderId: string): Promise<number> {
    const [request] = await this.db.query<{ roundId: string; requestedAt: Date; done: boolean }[]>(
      `select round_id as "roundId", requested_at as "requestedAt", sent_at is not null as done
         from round_reminder where id = $1`,
      [reminderId],
    );
    if (!request || request.done) return 0;
    const answered = await this.participation.answeredInvitationIds(this.db, request.roundId);
    const sent = await this.each(
      `${PENDING} where i.round_id = $1 and r.status = 'open' and i.id <> all($2::uuid[]) and i.sent_at is not null
         and (i.reminded_at is null or i.reminded_at < $3::timestamptz - make_interval(mins => ${REMIND_NOW_QUIET_MINUTES}))
         and p.deactivated_at is null`,
      [request.roundId, answered, request.requestedAt],
      'reminder',
      `update invitation set reminded_at = now() where id = $1`,
    );
    await this.db.query(
      `update round_reminder set sent_at = now() where id = $1 and sent_at is null`,
      [reminderId],
    );
    return sent;
  }

  /**
   * Sends to everyone the query names at the start, one person per transaction. A row someone else
   * holds (a teammate's answer locks the team's invitations for a moment) is skipped, not waited
   * for, and tried again after the others, a few times with growing pauses: the loop finishes its
   * set instead of ending at the first locked row. Whatever is still locked after that is left to
   * the reconciler, which queues the work again while anything is unsent.
   */
  private async each(
    select: string,
    params: unknown[],
    kind: 'invitation' | 'reminder',
    markDone: string,
  ): Promise<number> {
    const due = await this.db.query<{ id: string }[]>(
      `select id from (${select}) due order by id`,
      params,
    );
    let pending = due.map((row) => row.id);
    let sent = 0;
    for (let pass = 0; pending.length; pass++) {
      const locked: string[] = [];
      for (const id of pending) {
        const outcome = await this.sendOne(select, params, id, kind, markDone);
        if (outcome === 'sent') sent++;
        else if (outcome === 'locked') locked.push(id);
      }
      pending = locked;
      if (!pending.length) break;
      if (pass + 1 >= LOCKED_PASSES) {
        // Never the statement's parameters: a reminder's hold the invitations that have answered.
        this.logger.warn(
          {
            kind,
            roundId: params[0],
            ...(kind === 'invitation' ? { locked: pending.length } : {}),
          },
          `${kind}s still locked by someone else; the reconciler queues them again`,
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(100 * 2 ** pass, 2000)));
    }
    // How many a reminder reached is how many had not answered at that moment, exactly: a
    // reminder logs that it went, never a count or a person (the live counts move in steps of k).
    if (kind === 'invitation' && sent)
      this.logger.log({ sent, kind, roundId: params[0] }, `${kind}s sent`);
    if (kind === 'reminder') this.logger.log({ kind, roundId: params[0] }, 'reminders done');
    return sent;
  }

  /**
   * One person in one transaction; the sender hears of the commit only once it has happened. The
   * person's statements are prepared once per connection (by name): on a Monday they run once per
   * person invited, and planning the five-table lookup each time cost more than running it.
   */
  private async sendOne(
    select: string,
    params: unknown[],
    id: string,
    kind: 'invitation' | 'reminder',
    markDone: string,
  ): Promise<'sent' | 'done' | 'locked'> {
    const idParam = `$${params.length + 1}`;
    const outcome = await this.db.transaction(async (tx) => {
      const run = await prepared(tx);
      const [next] = await run<Pending>(`${select} and i.id = ${idParam} for update of i skip locked`, [
        ...params,
        id,
      ]);
      if (!next) {
        // Gone from the set (sent by another worker, the round closed) or held by someone else.
        const still = await tx.query<unknown[]>(
          `select 1 from (${select}) due where id = ${idParam}`,
          [...params, id],
        );
        return still.length ? ('locked' as const) : ('done' as const);
      }
      const token = PULSE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      await run(INSERT_TOKEN, [hashPulseToken(token), next.id]);
      const message: InvitationMessage = {
        to: { email: next.email, name: next.personName },
        kind,
        audience: next.kind,
        teamName: next.teamName,
        organisationName: next.organisationName,
        link: `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/r/${token}`,
        closesAt: next.closesAt,
        timeZone: next.timeZone,
      };
      await this.sender.send(message);
      await run(markDone, [next.id]);
      return message;
    });
    if (typeof outcome === 'string') return outcome;
    // After the commit: the link now exists. The token itself is never logged here, and a
    // reminder is not logged per person: who was reminded is who had not answered yet.
    if (kind === 'invitation') this.logger.log({ invitationId: id, kind }, `${kind} sent`);
    this.sender.committed?.(outcome);
    return 'sent';
  }

  /**
   * One more personal link for an invitation of an open round, not sent anywhere: for the demo,
   * which prints a few so a newcomer can answer at once. Earlier links keep working.
   */
  async issueLink(invitationId: string): Promise<string> {
    const token = await this.db.transaction((tx) => this.issueToken(tx, invitationId));
    return `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/r/${token}`;
  }

  private async issueToken(tx: EntityManager, invitationId: string): Promise<string> {
    const token = PULSE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await tx.query(INSERT_TOKEN, [hashPulseToken(token), invitationId]);
    return token;
  }
}
