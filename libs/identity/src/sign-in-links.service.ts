import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '@trellis/config';
import { returning } from '@trellis/database';
import { conflict, gone, invalid, notFound } from '@trellis/errors';
import { JobQueue, QueueUnavailableError } from '@trellis/jobs';
import type { MailSender } from '@trellis/notifications';
import { hashPassword, hashSecret, newSecret } from './secrets';
import { SessionStore } from './session.store';
import { MIN_PASSWORD_LENGTH } from './auth.service';

export const SIGN_IN_LINK_PREFIX = 'trl_l_';
export const SIGN_IN_MAIL = Symbol('SIGN_IN_MAIL');

export type SignInLinkPurpose = 'invite' | 'reset';

/** How long a link works: an invitation waits for a weekend, a reset is used at once or not at all. */
export const LINK_LIFETIME_HOURS: Readonly<Record<SignInLinkPurpose, number>> = {
  invite: 72,
  reset: 1,
};

/** Who gets a link from "invite everyone imported": the people who need an account at all. */
const NEEDS_AN_ACCOUNT = `(exists (select 1 from organisation_role r where r.person_id = p.id)
   or exists (select 1 from membership m where m.person_id = p.id and m.role = 'leader'))`;

/** What the set-password page shows before the password is chosen. */
export interface SignInLinkView {
  purpose: SignInLinkPurpose;
  name: string;
  email: string;
  organisationName: string;
  expiresAt: Date;
}

interface Sendable {
  id: string;
  purpose: SignInLinkPurpose;
  email: string;
  name: string;
  organisationName: string;
  expiresAt: Date;
}

/**
 * Sign-in links: an invitation to set a first password, or a password reset. A link row is
 * written at once and its email is sent by the worker (a job per link, at least once); the token
 * is made only when the email goes out and only its hash is kept, so a link in the database or in
 * Redis opens nothing. A link works once, until it expires, and only for an active person; using
 * one sets the password, voids the person's other links and ends every session they had.
 */
@Injectable()
export class SignInLinksService {
  private readonly logger = new Logger(SignInLinksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(SIGN_IN_MAIL) private readonly mail: MailSender,
    private readonly jobs: JobQueue,
    private readonly sessions: SessionStore,
    private readonly config: AppConfig,
  ) {}

  /** An invitation for one person of the organisation; refused for a deactivated person. */
  async invite(
    organisationId: string,
    personId: string,
    requestedBy: string | null,
  ): Promise<{ linkId: string; expiresAt: Date }> {
    const [person]: { active: boolean }[] = await this.db.query(
      `select deactivated_at is null as active from person where id = $1 and organisation_id = $2`,
      [personId, organisationId],
    );
    if (!person) throw notFound('person');
    if (!person.active)
      throw conflict('person', 'is deactivated; reactivate them before inviting them');
    const [link]: { id: string; expiresAt: Date }[] = await this.db.query(
      `insert into sign_in_link (organisation_id, person_id, purpose, requested_by, expires_at)
       values ($1, $2, 'invite', $3, now() + make_interval(hours => $4))
       returning id, expires_at as "expiresAt"`,
      [organisationId, personId, requestedBy, LINK_LIFETIME_HOURS.invite],
    );
    await this.queue(link.id);
    return { linkId: link.id, expiresAt: link.expiresAt };
  }

  /**
   * Invites every active person who holds a role or leads a team and has no password yet, and
   * has no unused invitation still working. Members answer by personal link and need no account.
   */
  async inviteEveryoneImported(
    organisationId: string,
    requestedBy: string | null,
  ): Promise<{ invited: { personId: string; email: string }[] }> {
    const rows: { id: string; personId: string; email: string }[] = await this.db.query(
      `insert into sign_in_link (organisation_id, person_id, purpose, requested_by, expires_at)
       select p.organisation_id, p.id, 'invite', $2, now() + make_interval(hours => $3)
         from person p
        where p.organisation_id = $1 and p.deactivated_at is null and p.password_hash is null
          and ${NEEDS_AN_ACCOUNT}
          and not exists (select 1 from sign_in_link l where l.person_id = p.id and l.purpose = 'invite'
                            and l.used_at is null and l.expires_at > now())
       returning id, person_id as "personId",
                 (select email from person where id = person_id) as email`,
      [organisationId, requestedBy, LINK_LIFETIME_HOURS.invite],
    );
    for (const row of rows) await this.queue(row.id);
    return { invited: rows.map(({ personId, email }) => ({ personId, email })) };
  }

  /** How many people "invite everyone imported" would reach now. */
  async countInvitable(organisationId: string): Promise<number> {
    const [{ n }]: { n: number }[] = await this.db.query(
      `select count(*)::int as n from person p
        where p.organisation_id = $1 and p.deactivated_at is null and p.password_hash is null
          and ${NEEDS_AN_ACCOUNT}
          and not exists (select 1 from sign_in_link l where l.person_id = p.id and l.purpose = 'invite'
                            and l.used_at is null and l.expires_at > now())`,
      [organisationId],
    );
    return n;
  }

  /**
   * "Forgot password": a reset link for each active person with this email who has an account or
   * needs one (a person may be in several organisations). Says nothing either way: the caller
   * gets the same answer, in about the same time, whether anyone matched.
   */
  async requestReset(email: string): Promise<void> {
    const rows: { id: string }[] = await this.db.query(
      `insert into sign_in_link (organisation_id, person_id, purpose, expires_at)
       select p.organisation_id, p.id, 'reset', now() + make_interval(hours => $2)
         from person p
        where p.email = $1 and p.deactivated_at is null
          and (p.password_hash is not null or ${NEEDS_AN_ACCOUNT})
       returning id`,
      [email.trim().toLowerCase(), LINK_LIFETIME_HOURS.reset],
    );
    for (const row of rows) await this.queue(row.id);
  }

  /** The link behind a token, if it still works; null when it is unknown, used or expired. */
  async find(token: string): Promise<SignInLinkView | null> {
    if (!token.startsWith(SIGN_IN_LINK_PREFIX)) return null;
    const rows: SignInLinkView[] = await this.db.query(
      `select l.purpose, p.name, p.email, o.name as "organisationName", l.expires_at as "expiresAt"
         from sign_in_link l join person p on p.id = l.person_id join organisation o on o.id = l.organisation_id
        where l.token_hash = $1 and l.used_at is null and l.expires_at > now() and p.deactivated_at is null`,
      [hashSecret(token)],
    );
    return rows[0] ?? null;
  }

  /**
   * Uses a link: sets the password, voids the person's other links and ends all their sessions.
   * A second use, an expired link or a deactivated person's link is refused with 410.
   */
  async setPassword(
    token: string,
    password: string,
  ): Promise<{
    personId: string;
    organisationId: string;
    email: string;
    purpose: SignInLinkPurpose;
  }> {
    if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
      throw invalid({
        field: 'password',
        message: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
      });
    if (password.length > 1000)
      throw invalid({ field: 'password', message: 'must be at most 1000 characters' });
    const hash = await hashPassword(password);
    const used = await this.db.transaction(async (tx) => {
      const rows = await returning<{
        personId: string;
        organisationId: string;
        email: string;
        purpose: SignInLinkPurpose;
      }>(
        tx,
        `update sign_in_link l set used_at = now()
           from person p
          where l.token_hash = $1 and l.used_at is null and l.expires_at > now()
            and p.id = l.person_id and p.deactivated_at is null
          returning l.person_id as "personId", l.organisation_id as "organisationId", p.email, l.purpose`,
        [token.startsWith(SIGN_IN_LINK_PREFIX) ? hashSecret(token) : ''],
      );
      const link = rows[0];
      if (!link)
        throw gone('this link was used already, has expired or is unknown; ask for a new one');
      await tx.query(`update person set password_hash = $2, updated_at = now() where id = $1`, [
        link.personId,
        hash,
      ]);
      await tx.query(
        `update sign_in_link set used_at = now() where person_id = $1 and used_at is null`,
        [link.personId],
      );
      return link;
    });
    await this.sessions.deleteAllFor(used.personId);
    return used;
  }

  /**
   * The worker's half: makes the token, sends the email and marks the link sent, in one
   * transaction. Sending twice is harmless (a retry after a lost commit mails a fresh link, and
   * the earlier one never worked); a link already sent, used, expired or of a deactivated person
   * is skipped.
   */
  async send(linkId: string): Promise<'sent' | 'skipped'> {
    const outcome = await this.db.transaction(async (tx) => {
      const [link]: Sendable[] = await tx.query(
        `select l.id, l.purpose, p.email, p.name, o.name as "organisationName", l.expires_at as "expiresAt"
           from sign_in_link l join person p on p.id = l.person_id join organisation o on o.id = l.organisation_id
          where l.id = $1 and l.sent_at is null and l.used_at is null and l.expires_at > now()
            and p.deactivated_at is null
          for update of l skip locked`,
        [linkId],
      );
      if (!link) return 'skipped' as const;
      const token = newSecret(SIGN_IN_LINK_PREFIX);
      await tx.query(`update sign_in_link set token_hash = $2, sent_at = now() where id = $1`, [
        link.id,
        hashSecret(token),
      ]);
      await this.mail.send(signInMail(link, this.linkTo(token)));
      return 'sent' as const;
    });
    // The token is never logged: it is the person's password until they use it.
    if (outcome === 'sent') this.logger.log({ linkId }, 'sign-in link sent');
    return outcome;
  }

  /** Links still due (unsent, unused, unexpired), for the reconciler to queue again. */
  async unsent(limit = 500): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `select id from sign_in_link where sent_at is null and used_at is null and expires_at > now()
        order by created_at limit $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  private linkTo(token: string): string {
    return `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/set-password/${token}`;
  }

  /** With Redis away the link stays unsent in PostgreSQL, and the reconciler queues it later. */
  private async queue(linkId: string): Promise<void> {
    try {
      await this.jobs.add('sign-in-link.send', { linkId });
    } catch (error) {
      if (!(error instanceof QueueUnavailableError)) throw error;
      this.logger.warn({ linkId }, 'queue unavailable; the reconciler sends this link later');
    }
  }
}

export function signInMail(
  link: Pick<Sendable, 'purpose' | 'email' | 'name' | 'organisationName' | 'expiresAt'>,
  url: string,
): { to: string; subject: string; text: string } {
  const until = link.expiresAt.toUTCString();
  if (link.purpose === 'invite')
    return {
      to: link.email,
      subject: `You are invited to Trellis for ${link.organisationName}`,
      text: [
        `Hello ${link.name},`,
        '',
        `${link.organisationName} uses Trellis for short team pulse surveys, and you have been invited to sign in.`,
        'Choose your password here:',
        '',
        url,
        '',
        `The link works once, until ${until}. If you did not expect this email, ignore it.`,
      ].join('\n'),
    };
  return {
    to: link.email,
    subject: 'Reset your Trellis password',
    text: [
      `Hello ${link.name},`,
      '',
      `Someone asked to reset your Trellis password for ${link.organisationName}. Choose a new one here:`,
      '',
      url,
      '',
      `The link works once, until ${until}. If you did not ask for this, ignore this email: your password stays as it is.`,
    ].join('\n'),
  };
}
