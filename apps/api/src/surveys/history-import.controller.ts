import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { HistoryImportService } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { csvBody } from '../common/csv-body';
import { HistoryImportQuery } from './surveys.dto';

@ApiTags('surveys')
@ApiBearerAuth()
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
  import(
    @Param('orgId') orgId: string,
    @Query() query: HistoryImportQuery,
    @Req() req: Request,
    @Body() body: unknown,
  ) {
    return this.history.import(orgId, csvBody(req, body), query);
  }
}
