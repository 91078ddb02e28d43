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
    this.transport = createTransport(url);
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
