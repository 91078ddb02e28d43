import { Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { RosterImportService } from '@trellis/organisation';
import { ResultsRederivation } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { csvBody } from '../common/csv-body';
import { ApiErrors, ApiFileRejected, ApiSignedIn } from '../common/openapi';
import { ImportQuery } from './organisation.dto';
import { RosterImportSummaryDto } from './organisation.response';

@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId/roster-imports')
export class RosterImportController {
  constructor(
    private readonly roster: RosterImportService,
    private readonly rederivation: ResultsRederivation,
  ) {}

  @Post()
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiConsumes('text/csv')
  @ApiBody({
    description:
      'CSV with columns email, name, team_key, team_name, department (path like "Engineering / Platform"), role (member or leader). ' +
      'One row per membership. Re-importing the same file changes nothing; any bad row rejects the whole file.',
    schema: { type: 'string' },
  })
  @ApiOperation({ summary: 'Import people, teams and memberships from an HR export' })
  @ApiOkResponse({
    type: RosterImportSummaryDto,
    description: 'What was (or, dry run, would be) written',
  })
  @ApiFileRejected()
  @ApiErrors(404, 409, 415)
  async import(
    @Param('orgId') orgId: string,
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Body() body: unknown,
  ): Promise<RosterImportSummaryDto> {
    const summary = await this.roster.import(orgId, csvBody(req, body), {
      dryRun: query.dryRun === 'true',
    });
    // A file that moved teams made results stale; re-deriving them starts now.
    if (!summary.dryRun) await this.rederivation.start(orgId);
    return summary;
  }
}
