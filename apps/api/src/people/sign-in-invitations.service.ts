import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import { SignInLinksService, type Principal } from '@trellis/identity';
import { lockTarget } from './person-target';

export interface InvitationView {
  personId: string;
  expiresAt: Date;
}

export interface BulkInvitationView {
  invited: number;
}

/**
 * Invitations to sign in: one person, or everyone imported who needs an account (active, no
 * password yet, holds a role or leads a team). The email goes out from the worker.
 */
@Injectable()
export class SignInInvitationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: SignInLinksService,
    private readonly audit: AuditService,
  ) {}

  async inviteOne(
    viewer: Principal,
    organisationId: string,
    personId: string,
  ): Promise<InvitationView> {
    // The policy check reads the person's roles; the link itself is written by SignInLinksService.
    await this.db.transaction((tx) => lockTarget(tx, viewer, organisationId, personId, 'invite'));
    const link = await this.links.invite(organisationId, personId, viewer.personId);
    await this.audit.record(actorOf(viewer), {
      action: 'person.sign_in_invited',
      targetKind: 'person',
      targetId: personId,
      detail: { expiresAt: link.expiresAt.toISOString() },
    });
    return { personId, expiresAt: link.expiresAt };
  }

  /** Admins only (the route says so): it may reach people who hold HR or admin. */
  async inviteEveryone(viewer: Principal, organisationId: string): Promise<BulkInvitationView> {
    const { invited } = await this.links.inviteEveryoneImported(organisationId, viewer.personId);
    await this.audit.record(actorOf(viewer), {
      action: 'people.sign_in_invited',
      targetKind: 'organisation',
      targetId: organisationId,
      detail: { invited: invited.length, people: invited.map((p) => p.personId) },
    });
    return { invited: invited.length };
  }

  /** How many people "invite everyone" would reach now, for its confirmation. */
  invitable(organisationId: string): Promise<number> {
    return this.links.countInvitable(organisationId);
  }
}
