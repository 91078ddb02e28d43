import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthedRequest } from './access.guard';

/** The authenticated caller; only on handlers whose rule requires one. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const req = ctx.switchToHttp().getRequest<AuthedRequest>();
  if (!req.principal)
    throw new Error('CurrentPrincipal used on a handler that does not require sign-in');
  return req.principal;
});

/** Whether the caller sees the whole organisation or only what they lead. */
export const CurrentScope = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  return ctx.switchToHttp().getRequest<AuthedRequest>().accessScope ?? 'self';
});
