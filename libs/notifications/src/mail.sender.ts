import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Resolves once the message is accepted; throws otherwise, so the delivery is retried. */
export interface MailSender {
  send(mail: Mail): Promise<void>;
}

export const MAIL_SENDER = Symbol('MAIL_SENDER');

export class SmtpMailSender implements MailSender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(url);
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...mail });
  }
}

/** Without SMTP (development, the demo) the message goes to the log. */
export class LogMailSender implements MailSender {
  private readonly logger = new Logger('notifications');

  async send(mail: Mail): Promise<void> {
    this.logger.log({ to: mail.to, subject: mail.subject }, `notification for ${mail.to}`);
  }
}

/**
 * Without SMTP, mail that carries a secret link (sign-in invitations, password resets) becomes a
 * file in OUTBOX_DIR, like survey invitations: never the log, since the link is a password.
 */
export class OutboxMailSender implements MailSender {
  private readonly logger = new Logger('mail');

  constructor(private readonly outbox: string) {}

  async send(mail: Mail): Promise<void> {
    await mkdir(this.outbox, { recursive: true, mode: 0o700 });
    const file = join(
      this.outbox,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.txt`,
    );
    await writeFile(file, `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, {
      mode: 0o600,
    });
    this.logger.log({ to: mail.to, subject: mail.subject, file }, `mail for ${mail.to} in ${file}`);
  }
}

/** SMTP when configured, else the outbox directory: for mail whose link must not reach a log. */
export function secretMailSender(env: {
  SMTP_URL?: string;
  MAIL_FROM: string;
  OUTBOX_DIR: string;
}): MailSender {
  return env.SMTP_URL
    ? new SmtpMailSender(env.SMTP_URL, env.MAIL_FROM)
    : new OutboxMailSender(env.OUTBOX_DIR);
}
