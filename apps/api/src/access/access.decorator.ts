import { SetMetadata } from '@nestjs/common';
import type { AccessRule, Grant, ResourceKind } from '@trellis/access';

export const ACCESS_RULE = 'trellis:access-rule';

/** Anyone, signed in or not. Use only for what is meant to be public. */
export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in person, about themselves. */
export const SignedIn = () => SetMetadata(ACCESS_RULE, { kind: 'signed_in' } satisfies AccessRule);

export const SIGN_IN_ATTEMPT = 'trellis:sign-in-attempt';

/** Marks a handler that checks a password, so the sign-in rate limit counts it, whatever its route. */
export const SignInAttempt = () => SetMetadata(SIGN_IN_ATTEMPT, true);

/** Callers holding one of the grants on the resource named by a route parameter. */
export const Allow = (resource: ResourceKind, param: string, grants: readonly Grant[]) =>
  SetMetadata(ACCESS_RULE, { kind: 'resource', resource, param, grants } satisfies AccessRule);
