/**
 * Who may change what about a person, beyond the route's rule (HR or admin of the same
 * organisation). Plain data and one pure function, like policy.ts:
 * - organisation roles (HR, admin) are granted and revoked by admins only;
 * - team leadership is HR's and admins' work;
 * - deactivating, reactivating and sending a sign-in invitation: admins for anyone, HR only for
 *   people who hold no organisation role, so HR can neither lock out nor re-key an admin or
 *   another HR person.
 */
export type PersonAction = 'grant_role' | 'lead' | 'deactivate' | 'invite';
type OrgRole = 'hr' | 'admin';

export function mayActOnPerson(
  callerRoles: readonly OrgRole[],
  action: PersonAction,
  targetRoles: readonly OrgRole[],
): boolean {
  const admin = callerRoles.includes('admin');
  const hr = callerRoles.includes('hr');
  switch (action) {
    case 'grant_role':
      return admin;
    case 'lead':
      return admin || hr;
    case 'deactivate':
    case 'invite':
      return admin || (hr && targetRoles.length === 0);
  }
}

/** Why a refused action was refused, in words for the person who tried. */
export function personActionRefusal(action: PersonAction): string {
  switch (action) {
    case 'grant_role':
      return 'only an admin can grant or revoke HR and admin';
    case 'lead':
      return 'only HR and admins can change who leads a team';
    case 'deactivate':
      return 'only an admin can deactivate or reactivate someone who holds HR or admin';
    case 'invite':
      return 'only an admin can send a sign-in invitation to someone who holds HR or admin';
  }
}
