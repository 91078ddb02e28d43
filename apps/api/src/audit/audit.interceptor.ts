import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, mergeMap, type Observable } from 'rxjs';
import { actorOf, AuditService } from '@trellis/audit';
import type { AuthedRequest } from '../access/access.guard';
import { AUDITED, type AuditRule } from './audited.decorator';

/** Query parameters worth keeping with an entry: the filters of what was read. */
export function detailOf(req: Pick<AuthedRequest, 'query'>): Record<string, unknown> {
  const query = req.query as Record<string, unknown>;
  const kept = Object.entries(query).filter(
    // PostgreSQL's jsonb cannot hold NUL: such a value is left out rather than failing the read.
    ([key, value]) =>
      typeof value === 'string' &&
      key !== 'cursor' &&
      value.length <= 200 &&
      !`${key}${value}`.includes('\u0000'),
  );
  return kept.length ? { query: Object.fromEntries(kept) } : {};
}

/**
 * Writes the audit entry of a handler marked @Audited before its answer leaves: a view that
 * could not be recorded is not served.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rule = this.reflector.get<AuditRule | undefined>(AUDITED, context.getHandler());
    if (!rule) return next.handle();
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const record = async (value: unknown) => {
      const p = req.principal;
      if (p) {
        const targetId = rule.target ? req.params[rule.target.param] : undefined;
        await this.audit.record(actorOf(p), {
          action: rule.action,
          targetKind: rule.target?.kind,
          targetId: typeof targetId === 'string' ? targetId : null,
          detail: detailOf(req),
        });
      }
      return value;
    };
    if (rule.before) return from(record(undefined)).pipe(mergeMap(() => next.handle()));
    return next.handle().pipe(mergeMap((value) => from(record(value))));
  }
}
