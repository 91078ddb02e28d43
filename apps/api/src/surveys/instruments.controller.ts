import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InstrumentsService } from '@trellis/surveys';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { InstrumentDto, InstrumentSummaryDto } from './surveys.response';

const INSTRUMENT_BODY = {
  description:
    'An instrument definition: { key, name, description, scale: { min, max, labels? }, dimensions: [{ key, name, description, scale? }], ' +
    'items: [{ key, dimension, text, selfText?, reverse?, source? }] }. Any integer scale (0..4, 1..5, 1..7 …); a dimension may have its own scale.',
  schema: { type: 'object' },
};

@ApiTags('surveys')
@ApiSignedIn()
@Controller()
export class InstrumentsController {
  constructor(private readonly instruments: InstrumentsService) {}

  @Get('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: "The organisation's instruments and the built-in one" })
  @ApiOkResponse({ type: [InstrumentSummaryDto] })
  @ApiErrors(400, 404)
  list(@Param('orgId') orgId: string): Promise<InstrumentSummaryDto[]> {
    return this.instruments.list(orgId);
  }

  @Post('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiBody(INSTRUMENT_BODY)
  @ApiOperation({ summary: 'Add an instrument: its scale, dimensions and statements' })
  @ApiCreatedResponse({ type: InstrumentDto })
  @ApiErrors(400, 404, 409)
  create(
    @Param('orgId') orgId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<InstrumentDto> {
    return this.instruments.add(orgId, p, body);
  }

  @Get('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: 'An instrument with every version, newest first' })
  @ApiOkResponse({ type: InstrumentDto })
  @ApiErrors(400, 404)
  get(@Param('instrumentId') instrumentId: string): Promise<InstrumentDto> {
    return this.instruments.get(instrumentId);
  }

  /** Edits the latest version in place while no round has used it; otherwise adds a version. */
  @Put('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', ['hr', 'admin'])
  @ApiBody(INSTRUMENT_BODY)
  @ApiOperation({
    summary: 'Edit an instrument: in place while no round used it, otherwise as a new version',
  })
  @ApiOkResponse({ type: InstrumentDto })
  @ApiErrors(400, 404, 409)
  update(
    @Param('instrumentId') instrumentId: string,
    @Body() body: unknown,
    @CurrentPrincipal() p: Principal,
  ): Promise<InstrumentDto> {
    return this.instruments.edit(instrumentId, p, body);
  }
}
