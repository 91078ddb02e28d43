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
