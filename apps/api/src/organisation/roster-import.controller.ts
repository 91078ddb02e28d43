import {
  applyDecorators,
  Body,
  Controller,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { csvBody } from '../common/csv-body';
import { ApiErrors, ApiFileRejected, ApiSignedIn } from '../common/openapi';
import { ImportQuery } from './organisation.dto';
import { RosterImportSummaryDto } from './organisation.response';
import { RosterImports } from './roster-imports.service';
import { ConfirmRosterQuery, RosterImportResultDto, RosterPreviewDto } from './roster.dto';

const CSV_BODY = {
  description:
    'CSV with columns email, name, team_key, team_name, department (path like "Engineering / Platform"), role (member or leader). ' +
    'One row per membership. Memberships of the teams it names that it does not list end; people and teams are never deleted.',
  schema: { type: 'string' },
};

/** The refusals every roster upload route can answer (a rejected file by line and column). */
const RosterRefusals = () => applyDecorators(ApiFileRejected(), ApiErrors(404, 415));

/** The first import route: applies a file at once (or counts with dryRun). Kept for its clients. */
@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId/roster-imports')
export class RosterImportController {
  constructor(private readonly imports: RosterImports) {}

  @Post()
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOperation({
    summary: 'Import people, teams and memberships from an HR export, without a preview',
  })
  @ApiOkResponse({
    type: RosterImportSummaryDto,
    description: 'What was (or, dry run, would be) written',
  })
  @ApiFileRejected()
  @ApiErrors(404, 409, 415)
  import(
    @Param('orgId') orgId: string,
    @Query() query: ImportQuery,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RosterImportSummaryDto> {
    return this.imports.importDirect(orgId, principal, csvBody(req, body), query.dryRun === 'true');
  }
}

/** Roster import with a dry run first: preview a file, then confirm exactly that file. */
@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId/roster')
export class RosterController {
  constructor(private readonly imports: RosterImports) {}

  @Post('preview')
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: RosterPreviewDto })
  @RosterRefusals()
  @ApiOperation({
    summary: 'Dry run of a roster file: what it would add, change and end, and every problem',
    description: 'Writes nothing. A file with problems answers 200 with the problems listed.',
  })
  preview(
    @Param('orgId') orgId: string,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RosterPreviewDto> {
    return this.imports.preview(orgId, principal, csvBody(req, body));
  }

  @Post()
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiConsumes('text/csv')
  @ApiBody(CSV_BODY)
  @ApiOkResponse({ type: RosterImportResultDto })
  @RosterRefusals()
  @ApiErrors(409)
  @ApiOperation({ summary: 'Import the previewed roster file, sent again with its previewHash' })
  confirm(
    @Param('orgId') orgId: string,
    @Query() query: ConfirmRosterQuery,
    @Req() req: Request,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ): Promise<RosterImportResultDto> {
    return this.imports.confirm(orgId, principal, query.preview, csvBody(req, body));
  }
}
