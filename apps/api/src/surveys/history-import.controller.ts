import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { HistoryImportService } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { csvBody } from '../common/csv-body';
import { ApiErrors, ApiFileRejected, ApiSignedIn } from '../common/openapi';
import { HistoryImportQuery } from './surveys.dto';
import { HistoryImportSummaryDto } from './surveys.response';

@ApiTags('surveys')
@ApiSignedIn()
@Controller('organisations/:orgId/history-imports')
export class HistoryImportController {
  constructor(private readonly history: HistoryImportService) {}

  @Post()
  @HttpCode(201)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'One row per respondent: a "team" column with the team key, then one column per item key; empty cells are unanswered.',
    schema: { type: 'string' },
  })
  @ApiOperation({ summary: "Import a previous tool's item-level answers as a closed round" })
  @ApiCreatedResponse({ type: HistoryImportSummaryDto })
  @ApiFileRejected()
  @ApiErrors(404, 409, 415)
  import(
    @Param('orgId') orgId: string,
    @Query() query: HistoryImportQuery,
    @Req() req: Request,
    @Body() body: unknown,
  ): Promise<HistoryImportSummaryDto> {
    return this.history.import(orgId, csvBody(req, body), query);
  }
}
