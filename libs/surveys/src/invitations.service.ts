import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@trellis/config';
import { INVITATION_SENDER, type InvitationSender } from './delivery/invitation-sender';
import { ParticipationReader } from './participation-reader';

export const PULSE_TOKEN_PREFIX = 'p_';

export function hashPulseToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

interface Pending {
  id: string;
  email: string;
  personName: string;
  kind: 'member' | 'leader_self';
  teamName: string;
  organisationName: string;
  closesAt: Date;
}

const PENDING = `select i.id, p.email, p.name as "personName", i.kind, u.name as "teamName", o.name as "organisationName",
  r.closes_at as "closesAt"
  from invitation i join person p on p.id = i.person_id join unit u on u.id = i.unit_id
  join round r on r.id = i.round_id join organisation o on o.id = i.organisation_id`;

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

  async invite(roundId: string): Promise<number> {
    return this.each(
      `${PENDING} where i.round_id = $1 and i.sent_at is null and r.status = 'open'`,
      [roundId],
      'invitation',
      `update invitation set sent_at = now() where id = $1`,
    );
  }

  /** Reminds only those who have not answered and have not had this reminder yet. */
  async remind(roundId: string, index: number): Promise<number> {
    // Whether someone answered is known only here, by recomputing marks; someone who answers
    // while reminders go out may still get this one reminder.
    const answered = await this.participation.answeredInvitationIds(this.db, roundId);
    const sent = await this.each(
      `${PENDING} where i.round_id = $1 and r.status = 'open' and i.id <> all($3::uuid[]) and i.sent_at is not null
         and i.reminders_sent <= $2`,
      [roundId, index, answered],
      'reminder',
      `update invitation set reminders_sent = ${Number(index) + 1} where id = $1`,
    );
    await this.db.query(
      `update round set reminders_sent = greatest(reminders_sent, $2) where id = $1`,
      [roundId, index + 1],
    );
    return sent;
  }

  private async each(
    select: string,
    params: unknown[],
    kind: 'invitation' | 'reminder',
    markDone: string,
  ): Promise<number> {
    let sent = 0;
    for (;;) {
      const done = await this.db.transaction(async (tx) => {
        const [next] = await tx.query<Pending[]>(
          `${select} order by i.id limit 1 for update of i skip locked`,
          params,
        );
        if (!next) return true;
        const token = await this.issueToken(tx, next.id);
        await this.sender.send({
          to: { email: next.email, name: next.personName },
          kind,
          audience: next.kind,
          teamName: next.teamName,
          organisationName: next.organisationName,
          link: `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/r/${token}`,
          closesAt: next.closesAt,
        });
        await tx.query(markDone, [next.id]);
        return false;
      });
      if (done) break;
      sent++;
    }
    if (sent) this.logger.log({ sent, kind, roundId: params[0] }, `${kind}s sent`);
    return sent;
  }

  private async issueToken(tx: EntityManager, invitationId: string): Promise<string> {
    const token = PULSE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
    await tx.query(`insert into invitation_token (token_hash, invitation_id) values ($1, $2)`, [
      hashPulseToken(token),
      invitationId,
    ]);
    return token;
  }
}
