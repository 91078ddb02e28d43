import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { CommentsService } from '@trellis/reporting';
import { Allow } from '../access/access.decorator';
import { Audited } from '../audit/audited.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import {
  CommentsQuery,
  CommentsRoundQuery,
  MarkCommentDto,
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
  constructor(private readonly comments: CommentsService) {}

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
  @Audited('export.comments', { kind: 'organisation', param: 'orgId' }, { before: true })
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
    @Res() res: Response,
  ): Promise<void> {
    const csv = await this.comments.exportCsv(orgId, query);
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
