import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AccessService, decide, needsLeaderCheck, type AccessRule } from '@trellis/access';
import { AuthService, type Principal } from '@trellis/identity';
import { UUID_PATTERN } from '../common/uuid';
import { ACCESS_RULE } from './access.decorator';
import { SESSION_COOKIE } from './session-cookie';

export type AccessScope = 'organisation' | 'leader' | 'self';

export interface AuthedRequest extends Request {
  principal?: Principal;
  accessScope?: AccessScope;
}

function credentialOf(req: Request): string | null {
  const header = req.headers.authorization;
  if (header) {
    const [scheme, token] = header.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !token) {
      throw new UnauthorizedException({
        statusCode: 401,
        message: 'Authorization must be "Bearer <token>"',
      });
    }
    return token;
  }
  // cookie-parser turns a value written "j:{…}" into whatever that JSON is; a session is only ever text.
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof cookie === 'string' ? cookie : null;
}

/**
 * The single authorization gate. A handler without a declared rule is refused (and the app
 * refuses to start with one, see AccessRulesCheck), so forgetting a rule can never open a door.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly access: AccessService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) throw new ForbiddenException('this endpoint declares no access rule');
    const req = context.switchToHttp().getRequest<AuthedRequest>();

    const credential = credentialOf(req);
    const principal = credential ? await this.auth.authenticate(credential) : null;
    if (credential && !principal && rule.kind !== 'public') {
      throw new UnauthorizedException({
        statusCode: 401,
        message: 'the session or token is unknown, expired or revoked',
      });
    }
    if (principal) req.principal = principal;

    let resourceOrganisationId: string | null | undefined;
    let leads = false;
    if (rule.kind === 'resource' && principal) {
      const id = req.params[rule.param];
      if (typeof id !== 'string' || !UUID_PATTERN.test(id)) {
        throw new BadRequestException({
          statusCode: 400,
          message: `${rule.param}: must be a UUID`,
          errors: [{ field: rule.param, message: 'must be a UUID' }],
        });
      }
      resourceOrganisationId = await this.access.ownerOf(
        rule.resource,
        id,
        principal.organisationId,
      );
      if (
        resourceOrganisationId === principal.organisationId &&
        needsLeaderCheck(rule, principal)
      ) {
        leads = await this.access.leads(
          principal.personId,
          rule.resource,
          id,
          resourceOrganisationId,
        );
      }
    }

    const decision = decide({ rule, caller: principal, resourceOrganisationId, leads });
    switch (decision.outcome) {
      case 'allow':
        req.accessScope = decision.scope;
        return true;
      case 'unauthenticated':
        throw new UnauthorizedException({ statusCode: 401, message: 'sign in first' });
      case 'not_found':
        throw new NotFoundException({
          statusCode: 404,
          message: `${rule.kind === 'resource' ? rule.resource.replace('_', ' ') : 'resource'} not found`,
        });
      case 'forbidden':
        throw new ForbiddenException({
          statusCode: 403,
          message: 'you do not have access to this',
        });
    }
  }
}
