import { Injectable } from '@nestjs/common';
import { AuditService } from '@trellis/audit';
import { invalid } from '@trellis/errors';
import { SignInLinksService, type SignInLinkView } from '@trellis/identity';

/**
 * "Forgot password" and "set a password from an emailed link", before anyone is signed in. The
 * JSON routes and the pages both come here.
 */
@Injectable()
export class PasswordLinksService {
  constructor(
    private readonly links: SignInLinksService,
    private readonly audit: AuditService,
  ) {}

  /** Always resolves the same way, whether the email is known or not. */
  async forgot(email: unknown): Promise<void> {
    const address = typeof email === 'string' ? email.trim() : '';
    if (!/^[^\s@]+@[^\s@]+$/.test(address) || address.length > 254)
      throw invalid({ field: 'email', message: 'Enter your email address, like name@example.com' });
    await this.links.requestReset(address);
  }

  /** What the set-password page shows; null for a link that no longer works. */
  find(token: string): Promise<SignInLinkView | null> {
    return this.links.find(token);
  }

  async setPassword(token: string, password: string): Promise<void> {
    const used = await this.links.setPassword(token, password);
    await this.audit.record(
      {
        organisationId: used.organisationId,
        personId: used.personId,
        email: used.email,
        via: 'system',
      },
      {
        action: 'person.password_set_by_link',
        targetKind: 'person',
        targetId: used.personId,
        detail: { purpose: used.purpose },
      },
    );
  }
}
