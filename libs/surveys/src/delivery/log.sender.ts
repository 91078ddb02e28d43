import { Logger } from '@nestjs/common';
import {
  renderInvitation,
  type InvitationMessage,
  type InvitationSender,
} from './invitation-sender';

/**
 * The development sender: the link goes to the log, so the demo works without a mail server. It
 * is written only after the invitation's transaction commits: before that the link does not exist.
 */
export class LogSender implements InvitationSender {
  private readonly logger = new Logger('invitations');

  async send(): Promise<void> {
    // Nothing to hand over before the commit.
  }

  committed(message: InvitationMessage): void {
    const { subject } = renderInvitation(message);
    this.logger.log(
      { to: message.to.email, subject, link: message.link },
      `${message.kind} for ${message.to.email}: ${message.link}`,
    );
  }
}
