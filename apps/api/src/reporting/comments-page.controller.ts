import { Body, Controller, Get, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { CommentsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { Audited } from '../audit/audited.decorator';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { OrganisationCommentsPage, UnitCommentsPage } from './comments.page';

type Text = string | undefined;
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
    private readonly pages: Pages,
  ) {}

  @Get('units/:unitId/comments')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  @Audited('comments.view', { kind: 'unit', param: 'unitId' }, { before: true })
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
    this.pages.send(req, res, h(UnitCommentsPage, { view, saved: query.saved === '1' }));
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

  @Get('organisations/:orgId/comments')
  @Allow('organisation', 'orgId', ['hr'])
  @Audited('comments.view', { kind: 'organisation', param: 'orgId' }, { before: true })
  async organisation(
    @Param('orgId') orgId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const view = await this.comments.organisationComments(orgId, { round: text(query.round) });
    this.pages.send(req, res, h(OrganisationCommentsPage, { view }));
  }
}
