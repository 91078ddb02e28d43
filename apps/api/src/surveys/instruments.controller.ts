import { Body, Controller, Get, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import { InstrumentsService } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';

const INSTRUMENT_BODY = {
  description:
    'An instrument definition: { key, name, description, scale: { min, max, labels? }, dimensions: [{ key, name, description }], ' +
    'items: [{ key, dimension, text, selfText?, reverse?, source? }] }. Any integer scale (0..4, 1..5, 1..7 …).',
  schema: { type: 'object' },
};

@ApiTags('surveys')
@ApiBearerAuth()
@Controller()
export class InstrumentsController {
  constructor(private readonly instruments: InstrumentsService) {}

  @Get('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  list(@Param('orgId') orgId: string) {
    return this.instruments.list(orgId);
  }

  @Post('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiBody(INSTRUMENT_BODY)
  create(@Param('orgId') orgId: string, @Body() body: unknown) {
    return this.instruments.create(orgId, body);
  }

  @Get('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', ['hr', 'admin', 'leader'])
  get(@Param('instrumentId') instrumentId: string) {
    return this.instruments.get(instrumentId);
  }

  /** Edits the latest version in place while no round has used it; otherwise adds a version. */
  @Put('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', ['hr', 'admin'])
  @ApiBody(INSTRUMENT_BODY)
  update(@Param('instrumentId') instrumentId: string, @Body() body: unknown) {
    return this.instruments.update(instrumentId, body);
  }
}
