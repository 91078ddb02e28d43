import { Logger } from '@nestjs/common';
import {
  renderInvitation,
  type InvitationMessage,
  type InvitationSender,
} from './invitation-sender';

/** The development sender: the link goes to the log, so the demo works without a mail server. */
export class LogSender implements InvitationSender {
  private readonly logger = new Logger('invitations');

  async send(message: InvitationMessage): Promise<void> {
    const { subject } = renderInvitation(message);
    this.logger.log(
      { to: message.to.email, subject, link: message.link },
      `${message.kind} for ${message.to.email}: ${message.link}`,
    );
  }
}
