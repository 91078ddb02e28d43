import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  renderInvitation,
  type InvitationMessage,
  type InvitationSender,
} from './invitation-sender';

/**
 * The development sender: each message becomes a file in the outbox directory, so the demo works
 * without a mail server. The log says which file, never the link: a link is its reader's password
 * until the round closes, and logs travel further than a directory on the worker's machine.
 */
export class OutboxSender implements InvitationSender {
  private readonly logger = new Logger('invitations');

  constructor(private readonly outbox: string) {}

  async send(message: InvitationMessage): Promise<void> {
    const { subject, text } = renderInvitation(message);
    await mkdir(this.outbox, { recursive: true, mode: 0o700 });
    const file = join(
      this.outbox,
      `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.txt`,
    );
    await writeFile(file, `To: ${message.to.email}\nSubject: ${subject}\n\n${text}\n`, {
      mode: 0o600,
    });
    this.logger.log(
      { to: message.to.email, subject, file },
      `${message.kind} for ${message.to.email} in ${file}`,
    );
  }
}
