import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { actorOf, AuditService } from '@trellis/audit';
import { CommentsService, ConversationsService } from '@trellis/reporting';
import type { AuthedRequest } from '../access/access.guard';
import { Allow } from '../access/access.decorator';
import { detailOf } from '../audit/audit.interceptor';
import { Audited } from '../audit/audited.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import {
  CommentsQuery,
  CommentsRoundQuery,
  MarkCommentDto,
  ModerateCommentDto,
  ReplyCommentDto,
  OrganisationCommentsDto,
  ShownCommentDto,
  UnitCommentsDto,
} from './comments.response';

/**
 * Comments, for the leaders of the unit they are shown at (and of units above it) and HR: the
 * JSON face of CommentsService. Every read is audited; no comment text reaches a log.
 */
@ApiTags('comments')
@ApiSignedIn()
@Controller()
export class CommentsController {
  constructor(
    private readonly comments: CommentsService,
    private readonly conversations: ConversationsService,
    private readonly audit: AuditService,
  ) {}

  @Get('units/:unitId/comments')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  @Audited('comments.view', { kind: 'unit', param: 'unitId' })
  @ApiOperation({
    summary:
      "A round's comments shown at this unit (including those that rose from below), by theme",
    description:
      'Only for a closed round and a pool of at least the comment minimum of people; no scores, no dates.',
  })
  @ApiOkResponse({ type: UnitCommentsDto })
  @ApiErrors(400, 404)
  unitComments(
    @Param('unitId') unitId: string,
    @Query() query: CommentsQuery,
  ): Promise<UnitCommentsDto> {
    return this.comments.unitComments(unitId, query);
  }

  @Post('units/:unitId/comments/:commentId/mark')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  @Audited('comment.mark', { kind: 'unit', param: 'unitId' })
  @ApiOperation({
    summary: 'Mark a comment acknowledged or acted on (optionally with a commitment)',
  })
  @ApiCreatedResponse({ type: ShownCommentDto })
  @ApiErrors(400, 404)
  mark(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Body() body: MarkCommentDto,
  ): Promise<ShownCommentDto> {
    return this.comments.mark(unitId, commentId, body ?? {});
  }

  /** Audited inside the use case (`comment.reply`, with the round and comment), with the actor. */
  @Post('units/:unitId/comments/:commentId/replies')
  @Allow('unit', 'unitId', ['hr', 'leader'])
  @ApiOperation({
    summary: 'Reply to a comment; its author reads it through their private link, signed by role',
    description:
      'Only a comment shown at this unit in a closed round. The author is shown "your team\'s leader", "a leader of <unit>" or "HR", never a name.',
  })
  @ApiCreatedResponse({ type: ShownCommentDto })
  @ApiErrors(400, 404)
  reply(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Body() body: ReplyCommentDto,
    @Req() req: AuthedRequest,
  ): Promise<ShownCommentDto> {
    const p = req.principal!;
    return this.conversations.reply(
      unitId,
      commentId,
      actorOf(p),
      p.roles.includes('hr'),
      body ?? {},
    );
  }

  /** HR only. Audited inside the use case (`comment.hide` / `comment.unhide`, with the reason). */
  @Post('units/:unitId/comments/:commentId/moderation')
  @Allow('unit', 'unitId', ['hr'])
  @ApiOperation({
    summary: 'Hide a comment that names or threatens someone (with a reason), or show it again',
    description:
      'Readers see "hidden by HR" and the reason instead of the text; counts and placement do not change; the author is shown the reason.',
  })
  @ApiCreatedResponse({ type: ShownCommentDto })
  @ApiErrors(400, 404)
  moderate(
    @Param('unitId') unitId: string,
    @Param('commentId') commentId: string,
    @Body() body: ModerateCommentDto,
    @Req() req: AuthedRequest,
  ): Promise<ShownCommentDto> {
    return this.conversations.moderate(unitId, commentId, actorOf(req.principal!), body ?? {});
  }

  @Get('organisations/:orgId/comments')
  @Allow('organisation', 'orgId', ['hr'])
  @Audited('comments.view', { kind: 'organisation', param: 'orgId' })
  @ApiOperation({ summary: 'The units with a comment pool in a round, with its size' })
  @ApiOkResponse({ type: OrganisationCommentsDto })
  @ApiErrors(400, 404)
  organisationComments(
    @Param('orgId') orgId: string,
    @Query() query: CommentsRoundQuery,
  ): Promise<OrganisationCommentsDto> {
    return this.comments.organisationComments(orgId, query);
  }

  @Get('organisations/:orgId/comments.csv')
  @Allow('organisation', 'orgId', ['hr'])
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: "A round's shown comments as CSV: round, unit shown at, theme, comment",
    description: 'No ids, no dates finer than the round; the same gate as the pages.',
  })
  @ApiOkResponse({
    description: 'The CSV file, as an attachment',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiErrors(400, 404)
  async export(
    @Param('orgId') orgId: string,
    @Query() query: CommentsRoundQuery,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.comments.exportCsv(orgId, query);
    // Audited once the file is made, before it is sent: a refused query writes nothing.
    await this.audit.record(actorOf(req.principal!), {
      action: 'export.comments',
      targetKind: 'organisation',
      targetId: orgId,
      detail: detailOf(req),
    });
    res
      .status(200)
      .set({
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': 'attachment; filename="comments.csv"',
        'cache-control': 'no-store',
      })
      .send(csv);
  }
}
