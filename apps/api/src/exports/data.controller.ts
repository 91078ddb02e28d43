import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { invalid } from '@trellis/errors';
import { TREND_COLUMNS, TrendExportService, type TrendKey } from '@trellis/exports';
import { Allow } from '../access/access.decorator';
import { isCalendarDate } from '../common/calendar-date';
import { Audited } from '../audit/audited.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { filtersOf, TrendPageQuery } from './exports.dto';
import { TrendPageDto } from './exports.response';

function encodeCursor(key: TrendKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string): TrendKey {
  const problem = invalid({
    field: 'cursor',
    message: 'must be a nextCursor from a previous page',
  });
  let key: Partial<TrendKey>;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<TrendKey>;
  } catch {
    throw problem;
  }
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (
    typeof key !== 'object' ||
    key === null ||
    !isCalendarDate(key.periodStart) ||
    typeof key.roundId !== 'string' ||
    !uuid.test(key.roundId) ||
    typeof key.unitId !== 'string' ||
    !uuid.test(key.unitId) ||
    !Number.isInteger(key.position) ||
    // A dimension's place in its instrument; instruments hold a few dozen at most.
    (key.position as number) < 0 ||
    (key.position as number) > 1000
  )
    throw problem;
  return key as TrendKey;
}

/**
 * The data API for BI tools: the export's rows as paginated JSON, for an HR API token
 * (`Authorization: Bearer …`). Follow `nextCursor` until it is null.
 */
@ApiTags('data')
@ApiSignedIn()
@Controller('organisations/:orgId/data')
export class DataController {
  constructor(private readonly trendData: TrendExportService) {}

  @Get('trends')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('data.read', { kind: 'organisation', param: 'orgId' })
  @ApiOperation({
    summary: 'Trend rows (unit × round × dimension), oldest round first, one page at a time',
    description: `Each row: ${TREND_COLUMNS.join(', ')}. Suppressed units keep their respondent count and carry no numbers.`,
  })
  @ApiOkResponse({ type: TrendPageDto })
  @ApiErrors(400, 404)
  async trends(
    @Param('orgId') orgId: string,
    @Query() query: TrendPageQuery,
  ): Promise<TrendPageDto> {
    const limit = query.limit ?? 1000;
    const page = await this.trendData.page(
      orgId,
      filtersOf(query),
      query.cursor ? decodeCursor(query.cursor) : null,
      limit,
    );
    return {
      columns: TREND_COLUMNS,
      rows: page.rows,
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }
}
