import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { actorOf, AuditService } from '@trellis/audit';
import { gone, invalid } from '@trellis/errors';
import { CONTENT_TYPE, ExportJobsService, type ExportFormat } from '@trellis/exports';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { attachment, DirectExportService } from './direct-export.service';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { CreateExportDto, filtersOf, TrendFiltersDto } from './exports.dto';
import { ExportDto } from './exports.response';
import { requestOf, TrendExportsService } from './trend-exports.service';

const FILE = { schema: { type: 'string', format: 'binary' } } as const;

/**
 * Trend data for HR's own tools: streamed directly when small, built by a background job when
 * large. Every row passed the same anonymity decision as the reports.
 */
@ApiTags('exports')
@ApiSignedIn()
@Controller()
export class ExportsController {
  constructor(
    private readonly exports: ExportJobsService,
    private readonly directExport: DirectExportService,
    private readonly audit: AuditService,
    private readonly trendExports: TrendExportsService,
  ) {}

  @Get('organisations/:orgId/exports/trends.csv')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiProduces('text/csv')
  @ApiOperation({
    summary: 'Trend data (unit × round × dimension) as CSV, streamed in the response',
    description: `Up to EXPORT_DIRECT_MAX_ROWS rows; larger exports: POST /organisations/{orgId}/exports.`,
  })
  @ApiOkResponse({ description: 'The CSV file, as an attachment', ...FILE })
  @ApiErrors(400, 404)
  csv(
    @Param('orgId') orgId: string,
    @Query() query: TrendFiltersDto,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    return this.direct('csv', orgId, query, p, res);
  }

  @Get('organisations/:orgId/exports/trends.xlsx')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiProduces(CONTENT_TYPE.xlsx)
  @ApiOperation({ summary: 'Trend data as one XLSX sheet, streamed in the response' })
  @ApiOkResponse({ description: 'The XLSX file, as an attachment', ...FILE })
  @ApiErrors(400, 404)
  xlsx(
    @Param('orgId') orgId: string,
    @Query() query: TrendFiltersDto,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    return this.direct('xlsx', orgId, query, p, res);
  }

  private async direct(
    format: ExportFormat,
    orgId: string,
    query: TrendFiltersDto,
    p: Principal,
    res: Response,
  ) {
    const tooLarge = await this.directExport.stream(format, orgId, filtersOf(query), p, res);
    if (tooLarge)
      throw invalid({
        field: 'filters',
        message: `this export has ${tooLarge.rows} rows, more than the ${tooLarge.limit} a direct download streams; create a background export (POST /organisations/${orgId}/exports) or narrow the filters`,
      });
  }

  @Post('organisations/:orgId/exports')
  @HttpCode(202)
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({
    summary: 'Builds a trend export in the background; poll GET /exports/{id} for progress',
  })
  @ApiAcceptedResponse({ type: ExportDto, description: 'Queued' })
  @ApiErrors(400, 404)
  create(
    @Param('orgId') orgId: string,
    @Body() body: CreateExportDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<ExportDto> {
    // The same use case as the export pages' form: the job and its audit entry, once.
    return this.trendExports.create(orgId, p, requestOf(body));
  }

  @Get('organisations/:orgId/exports')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({ summary: 'Recent exports, newest first' })
  @ApiOkResponse({ type: [ExportDto] })
  @ApiErrors(400, 404)
  list(@Param('orgId') orgId: string): Promise<ExportDto[]> {
    return this.exports.list(orgId);
  }

  @Get('exports/:exportId')
  @Allow('export', 'exportId', ['hr', 'admin'])
  @ApiOperation({ summary: "An export's status, progress and, when ready, its download link" })
  @ApiOkResponse({ type: ExportDto })
  @ApiErrors(400, 404)
  get(@Param('exportId') exportId: string): Promise<ExportDto> {
    return this.exports.get(exportId);
  }

  @Get('exports/:exportId/download')
  @Allow('export', 'exportId', ['hr', 'admin'])
  @ApiOperation({ summary: 'The finished file; 409 while it is being built, 410 once expired' })
  @ApiProduces('text/csv', CONTENT_TYPE.xlsx)
  @ApiOkResponse({ description: 'The file, as an attachment', ...FILE })
  @ApiErrors(400, 404, 409, 410)
  async download(
    @Param('exportId') exportId: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ) {
    const file = await this.exports.file(exportId);
    const handle = await open(file.path).catch(() => {
      throw gone('this export has been deleted; create it again');
    });
    await this.audit.record(actorOf(p), {
      action: 'export.download',
      targetKind: 'export',
      targetId: exportId,
    });
    attachment(res, file.format, file.fileName);
    await pipeline(handle.createReadStream(), res);
  }
}
