import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import { invalid, notFound } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import type { MembershipRole } from '@trellis/organisation';
import { lockTarget } from './person-target';

export interface LeadershipChangeView {
  personId: string;
  unitId: string;
  changed: boolean;
  /** The person's place in the team afterwards: null when they are not in it. */
  role: MembershipRole | null;
}

/**
 * Making someone the leader of a team, and removing them as its leader. Removed, they stay in
 * the team as a member (someone who steps down usually stays; leaving the team is the roster's
 * or the membership API's business).
 */
@Injectable()
export class TeamLeadershipService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  makeLeader(viewer: Principal, organisationId: string, personId: string, unitId: string) {
    return this.change(viewer, organisationId, personId, unitId, 'leader');
  }

  removeLeader(viewer: Principal, organisationId: string, personId: string, unitId: string) {
    return this.change(viewer, organisationId, personId, unitId, 'member');
  }

  private async change(
    viewer: Principal,
    organisationId: string,
    personId: string,
    unitId: string,
    next: MembershipRole,
  ): Promise<LeadershipChangeView> {
    return this.db.transaction(async (tx) => {
      await lockTarget(tx, viewer, organisationId, personId, 'lead');
      const [unit]: { kind: string }[] = await tx.query(
        `select kind from unit where id = $1 and organisation_id = $2`,
        [unitId, organisationId],
      );
      if (!unit) throw invalid({ field: 'unitId', message: 'no such team in this organisation' });
      if (unit.kind !== 'team')
        throw invalid({ field: 'unitId', message: 'only a team has a leader, not a department' });
      const [membership]: { role: MembershipRole }[] = await tx.query(
        `select role from membership where person_id = $1 and unit_id = $2 for update`,
        [personId, unitId],
      );
      const before = membership?.role ?? null;
      if (next === 'member' && before !== 'leader') {
        if (!before) throw notFound('leadership');
        return { personId, unitId, changed: false, role: before };
      }
      if (before === next) return { personId, unitId, changed: false, role: before };
      await tx.query(
        `insert into membership (organisation_id, person_id, unit_id, role) values ($1, $2, $3, $4)
         on conflict (person_id, unit_id) do update set role = excluded.role, updated_at = now()`,
        [organisationId, personId, unitId, next],
      );
      await this.audit.record(actorOf(viewer), {
        action: next === 'leader' ? 'person.leader_added' : 'person.leader_removed',
        targetKind: 'person',
        targetId: personId,
        detail: { unitId, before: { role: before }, after: { role: next } },
      });
      return { personId, unitId, changed: true, role: next };
    });
  }
}
