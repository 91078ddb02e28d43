import { Controller, Get, HttpException, Param, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf, AuditService, type AuditFilters, type AuditKind } from '@trellis/audit';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import type { FieldProblem } from '../views/components';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { AuditLogPage, type AuditLogFilters } from './audit-log.page';

const PAGE_SIZE = 50;

const text = (value: unknown): string =>
  typeof value === 'string' ? value.trim().slice(0, 100) : '';

/** The audit log page: the same AuditService.list and filters as GET /organisations/:orgId/audit. */
@ApiExcludeController()
@Controller('app/organisations/:orgId/audit')
@UseFilters(PageExceptionFilter)
export class AuditLogPageController {
  constructor(
    private readonly audit: AuditService,
    private readonly pages: Pages,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async list(
    @Param('orgId') orgId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const typed: AuditLogFilters = {
      kind: text(query.kind),
      actor: text(query.actor),
      from: text(query.from),
      to: text(query.to),
    };
    const before = text(query.before) || undefined;
    const filters: AuditFilters = {
      limit: PAGE_SIZE,
      before,
      kind: (typed.kind || undefined) as AuditKind | undefined,
      actor: typed.actor || undefined,
      from: typed.from || undefined,
      to: typed.to || undefined,
    };
    let problems: FieldProblem[] = [];
    let page: Awaited<ReturnType<AuditService['list']>> = { events: [], nextBefore: null };
    try {
      page = await this.audit.list(orgId, filters);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() !== 400) throw error;
      problems = (error.getResponse() as { errors?: FieldProblem[] }).errors ?? [];
    }
    if (!problems.length) {
      // Recorded as the JSON route records it, once the entries are read and before they are shown.
      const query = Object.fromEntries(
        Object.entries({ ...typed, before: before ?? '' }).filter(([, v]) => v !== ''),
      );
      await this.audit.record(actorOf(req.principal!), {
        action: 'audit.view',
        targetKind: 'organisation',
        targetId: orgId,
        detail: Object.keys(query).length ? { query } : {},
      });
    }
    const actors = await this.audit.actors(orgId);
    this.pages.send(
      req,
      res,
      h(AuditLogPage, {
        orgId,
        filters: typed,
        problems,
        events: page.events,
        nextBefore: page.nextBefore,
        paged: before !== undefined,
        actors,
      }),
      problems.length ? 400 : 200,
    );
  }
}
