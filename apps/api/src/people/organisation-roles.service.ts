import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import { conflict, forbidden } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import type { OrganisationRoleName } from '@trellis/organisation';
import { activeAdmins, lockTarget } from './person-target';

export interface RoleChangeView {
  personId: string;
  role: OrganisationRoleName;
  changed: boolean;
  roles: OrganisationRoleName[];
}

/**
 * Granting and revoking HR and admin: admins only, never leaving the organisation without an
 * active admin. Doing what is already so changes nothing and writes no audit entry.
 */
@Injectable()
export class OrganisationRolesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  grant(viewer: Principal, organisationId: string, personId: string, role: OrganisationRoleName) {
    return this.change(viewer, organisationId, personId, role, 'grant');
  }

  revoke(viewer: Principal, organisationId: string, personId: string, role: OrganisationRoleName) {
    return this.change(viewer, organisationId, personId, role, 'revoke');
  }

  private async change(
    viewer: Principal,
    organisationId: string,
    personId: string,
    role: OrganisationRoleName,
    how: 'grant' | 'revoke',
  ): Promise<RoleChangeView> {
    // Roles are given by people, not by scripts: a leaked admin token cannot make more admins.
    if (viewer.via === 'api_token')
      throw forbidden('an API token cannot change roles; sign in to change them');
    return this.db.transaction(async (tx) => {
      const target = await lockTarget(tx, viewer, organisationId, personId, 'grant_role');
      const before = target.roles;
      const has = before.includes(role);
      if ((how === 'grant') === has) return { personId, role, changed: false, roles: before };
      if (how === 'grant') {
        await tx.query(
          `insert into organisation_role (organisation_id, person_id, role) values ($1, $2, $3)`,
          [organisationId, personId, role],
        );
      } else {
        await tx.query(`delete from organisation_role where person_id = $1 and role = $2`, [
          personId,
          role,
        ]);
        if (role === 'admin' && (await activeAdmins(tx, organisationId)) === 0)
          throw conflict('role', 'this is the last active admin; make someone else admin first');
      }
      const after = how === 'grant' ? [...before, role].sort() : before.filter((r) => r !== role);
      await this.audit.record(actorOf(viewer), {
        action: how === 'grant' ? 'person.role_granted' : 'person.role_revoked',
        targetKind: 'person',
        targetId: personId,
        detail: { role, before: { roles: before }, after: { roles: after } },
      });
      return { personId, role, changed: true, roles: after };
    });
  }
}
