import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import { returning } from '@trellis/database';
import { conflict } from '@trellis/errors';
import { SessionStore, type Principal } from '@trellis/identity';
import { activeAdmins, lockTarget } from './person-target';

export interface ActivationView {
  personId: string;
  active: boolean;
  changed: boolean;
}

/**
 * Deactivating and reactivating a person. Deactivated, they cannot sign in (refused like a wrong
 * password), their sessions end and their API tokens are revoked at once, their unused sign-in
 * links die, and they are not invited to new rounds; what they answered before is untouched.
 * Reactivated, they can sign in again with their old password; revoked tokens stay revoked.
 */
@Injectable()
export class PersonActivationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
    private readonly sessions: SessionStore,
  ) {}

  async deactivate(
    viewer: Principal,
    organisationId: string,
    personId: string,
  ): Promise<ActivationView> {
    const view = await this.db.transaction(async (tx) => {
      const target = await lockTarget(tx, viewer, organisationId, personId, 'deactivate');
      if (!target.active) return { personId, active: false, changed: false };
      await tx.query(`update person set deactivated_at = now(), updated_at = now() where id = $1`, [
        personId,
      ]);
      if (target.roles.includes('admin') && (await activeAdmins(tx, organisationId)) === 0)
        throw conflict('person', 'this is the last active admin; make someone else admin first');
      const tokens = await returning<{ id: string }>(
        tx,
        `update api_token set revoked_at = now() where person_id = $1 and revoked_at is null returning id`,
        [personId],
      );
      await tx.query(
        `update sign_in_link set used_at = now() where person_id = $1 and used_at is null`,
        [personId],
      );
      await this.audit.record(actorOf(viewer), {
        action: 'person.deactivated',
        targetKind: 'person',
        targetId: personId,
        detail: {
          before: { active: true },
          after: { active: false },
          revokedApiTokens: tokens.map((t) => t.id),
        },
      });
      return { personId, active: false, changed: true };
    });
    // The sessions stopped working with the commit (every request checks the person is active);
    // this only forgets them.
    if (view.changed) await this.sessions.deleteAllFor(personId);
    return view;
  }

  async reactivate(
    viewer: Principal,
    organisationId: string,
    personId: string,
  ): Promise<ActivationView> {
    return this.db.transaction(async (tx) => {
      const target = await lockTarget(tx, viewer, organisationId, personId, 'deactivate');
      if (target.active) return { personId, active: true, changed: false };
      await tx.query(`update person set deactivated_at = null, updated_at = now() where id = $1`, [
        personId,
      ]);
      await this.audit.record(actorOf(viewer), {
        action: 'person.reactivated',
        targetKind: 'person',
        targetId: personId,
        detail: { before: { active: false }, after: { active: true } },
      });
      return { personId, active: true, changed: true };
    });
  }
}
