/**
 * The authorization policy as plain data and one pure decision function. Every HTTP handler
 * declares an AccessRule; nothing else decides who may call it.
 */
export type Grant = 'hr' | 'admin' | 'leader';
export type ResourceKind =
  | 'organisation'
  | 'unit'
  | 'person'
  | 'api_token'
  | 'campaign'
  | 'round'
  | 'instrument'
  | 'commitment'
  | 'export';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'signed_in' }
  | { kind: 'resource'; resource: ResourceKind; param: string; grants: readonly Grant[] };

export interface Caller {
  organisationId: string;
  roles: readonly ('hr' | 'admin')[];
}

export type Decision =
  | { outcome: 'allow'; scope: 'organisation' | 'leader' | 'self' }
  | { outcome: 'unauthenticated' }
  | { outcome: 'forbidden' }
  | { outcome: 'not_found' };

export interface DecisionInput {
  rule: AccessRule;
  caller: Caller | null;
  /** The organisation that owns the resource; null when it does not exist. */
  resourceOrganisationId?: string | null;
  /** Whether the caller leads a unit at or above the resource. */
  leads?: boolean;
}

export function decide({ rule, caller, resourceOrganisationId, leads }: DecisionInput): Decision {
  if (rule.kind === 'public') return { outcome: 'allow', scope: 'self' };
  if (!caller) return { outcome: 'unauthenticated' };
  if (rule.kind === 'signed_in') return { outcome: 'allow', scope: 'self' };
  // Another organisation's resource is indistinguishable from a missing one.
  if (!resourceOrganisationId || resourceOrganisationId !== caller.organisationId)
    return { outcome: 'not_found' };
  if (caller.roles.some((role) => rule.grants.includes(role)))
    return { outcome: 'allow', scope: 'organisation' };
  if (rule.grants.includes('leader') && leads) return { outcome: 'allow', scope: 'leader' };
  return { outcome: 'forbidden' };
}

/** Whether the rule could let this caller in as a leader, so the leader lookup is worth a query. */
export function needsLeaderCheck(rule: AccessRule, caller: Caller | null): boolean {
  return (
    rule.kind === 'resource' &&
    caller !== null &&
    rule.grants.includes('leader') &&
    !caller.roles.some((role) => rule.grants.includes(role))
  );
}
