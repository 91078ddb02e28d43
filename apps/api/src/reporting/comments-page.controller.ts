import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf, AuditService } from '@trellis/audit';
import { CommentsService, ConversationsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { detailOf } from '../audit/audit.interceptor';
import { Audited } from '../audit/audited.decorator';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { OrganisationCommentsPage, UnitCommentsPage } from './comments.page';

type Text = string | undefined;

/** Back to the same round and filters, at the comment that changed. */
function backTo(
  unitId: string,
  query: Record<string, unknown>,
  saved: string,
  commentId: string,
): string {
  const back = new URLSearchParams();
  for (const key of ['round', 'dimension', 'q']) {
    const value = typeof query[key] === 'string' ? query[key] : undefined;
    if (value) back.set(key, value);
  }
  back.set('saved', saved);
  return `${consolePaths.unitComments(unitId)}?${back.toString()}#c-${commentId}`;
}
const text = (value: unknown): Text => (typeof value === 'string' ? value : undefined);

/**
 * The comments pages: thin adapters over CommentsService, the same use case, access rules and
 * audit entries as GET /units/:unitId/comments, POST …/mark and GET /organisations/:orgId/comments.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class CommentsPageController {
  constructor(
    private readonly comments: CommentsService,
    private readonly conversations: ConversationsService,
    private readonly audit: AuditService,
    private readonly pages: Pages,
  ) {}

  /** Audited once the view is read, before it is sent: a request refused for its query writes nothing. */
  private viewed(req: AuthedRequest, action: string, targetKind: string, targetId: string) {
    return this.audit.record(actorOf(req.principal!), {
      action,
      targetKind,
      targetId,
      detail: detailOf(req),
    });
  }

  @Get('units/:unitId/comments')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  async unit(
    @Param('unitId') unitId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.comments.unitComments(unitId, {
      round: text(query.round),
      dimension: text(query.dimension),
      q: text(query.q),
    });
    await this.viewed(req, 'comments.view', 'unit', unitId);
    const saved =
      (['mark', 'reply', 'hidden', 'shown'] as const).find((s) => query.saved === s) ?? null;
    this.pages.send(
      req,
      res,
      h(UnitCommentsPage, { view, saved: query.saved === '1' ? 'mark' : saved }),
    );
  }

  /** Back to the same round and filters, where the mark now shows. */
  @Post('units/:unitId/comments/:commentId/mark')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  @Audited('comment.mark', { kind: 'unit', param: 'unitId' })
  async mark(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown> | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await this.comments.mark(unitId, commentId, {
      round: body?.round,
      status: body?.status,
      commitmentId: body?.commitmentId,
    });
    const back = new URLSearchParams();
    for (const key of ['round', 'dimension', 'q']) {
      const value = text(query[key]);
      if (value) back.set(key, value);
    }
    back.set('saved', '1');
    res.redirect(303, `${consolePaths.unitComments(unitId)}?${back.toString()}`);
  }

  /** The same use case as POST /units/:unitId/comments/:commentId/replies (audited there). */
  @Post('units/:unitId/comments/:commentId/replies')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  async reply(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const p = req.principal!;
    await this.conversations.reply(unitId, commentId, actorOf(p), p.roles.includes('hr'), {
      round: body?.round,
      text: body?.text,
    });
    res.redirect(303, backTo(unitId, query, 'reply', commentId));
  }

  /** HR's hide (with a reason) or show again; audited in the use case with the reason. */
  @Post('units/:unitId/comments/:commentId/moderation')
  @Allow('unit', 'unitId', ['hr'])
  async moderate(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Query() query: Record<string, unknown>,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.conversations.moderate(unitId, commentId, actorOf(req.principal!), {
      round: body?.round,
      hidden: body?.hidden,
      reason: body?.reason,
    });
    res.redirect(
      303,
      backTo(unitId, query, body?.hidden === 'false' ? 'shown' : 'hidden', commentId),
    );
  }

  @Get('organisations/:orgId/comments')
  @Allow('organisation', 'orgId', ['hr'])
  async organisation(
    @Param('orgId') orgId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.comments.organisationComments(orgId, { round: text(query.round) });
    await this.viewed(req, 'comments.view', 'organisation', orgId);
    this.pages.send(req, res, h(OrganisationCommentsPage, { view }));
  }
}
