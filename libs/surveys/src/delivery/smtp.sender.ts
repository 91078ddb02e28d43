import { createTransport, type Transporter } from 'nodemailer';
import {
  renderInvitation,
  type InvitationMessage,
  type InvitationSender,
} from './invitation-sender';

export class SmtpSender implements InvitationSender {
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    // Pooled: one SMTP session carries many messages, instead of a connection and a greeting
    // per invitation (a Monday-morning round sends one to everyone at once).
    const pooled = new URL(url);
    if (!pooled.searchParams.has('pool')) pooled.searchParams.set('pool', 'true');
    this.transport = createTransport(pooled.toString());
  }

  /** Ends the pooled sessions when the application stops. */
  onModuleDestroy(): void {
    this.transport.close();
  }

  async send(message: InvitationMessage): Promise<void> {
    const { subject, text } = renderInvitation(message);
    await this.transport.sendMail({
      from: this.from,
      to: { name: message.to.name, address: message.to.email },
      subject,
      text,
    });
  }
}
