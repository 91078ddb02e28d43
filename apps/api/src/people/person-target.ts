import type { EntityManager } from 'typeorm';
import { mayActOnPerson, personActionRefusal, type PersonAction } from '@trellis/access';
import { forbidden, notFound } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import type { OrganisationRoleName } from '@trellis/organisation';

export interface PersonTarget {
  id: string;
  email: string;
  active: boolean;
  roles: OrganisationRoleName[];
}

/**
 * The person an access change is about, read inside the change's transaction with the
 * organisation locked, so changes to one organisation's roles and activity happen one at a time
 * (two admins cannot remove each other past the last-admin check). Another organisation's person
 * is not found; a change the people policy refuses for this viewer is forbidden.
 */
export async function lockTarget(
  tx: EntityManager,
  viewer: Principal,
  organisationId: string,
  personId: string,
  action: PersonAction,
): Promise<PersonTarget> {
  await tx.query(`select 1 from organisation where id = $1 for no key update`, [organisationId]);
  const [target]: PersonTarget[] = await tx.query(
    `select p.id, p.email, p.deactivated_at is null as active,
            coalesce(array(select r.role from organisation_role r where r.person_id = p.id order by r.role), '{}') as roles
       from person p where p.id = $1 and p.organisation_id = $2`,
    [personId, organisationId],
  );
  if (!target) throw notFound('person');
  if (!mayActOnPerson(viewer.roles, action, target.roles))
    throw forbidden(personActionRefusal(action));
  return target;
}

/** Active admins of the organisation, for the rule that one must always remain. */
export async function activeAdmins(tx: EntityManager, organisationId: string): Promise<number> {
  const [{ n }]: { n: number }[] = await tx.query(
    `select count(*)::int as n from organisation_role r join person p on p.id = r.person_id
      where r.organisation_id = $1 and r.role = 'admin' and p.deactivated_at is null`,
    [organisationId],
  );
  return n;
}
