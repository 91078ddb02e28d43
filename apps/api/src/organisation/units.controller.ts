import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { PeopleService, UnitsService } from '@trellis/organisation';
import { ResultsRederivation } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { uuidParam } from '../common/uuid';
import { AddMemberDto, CreateUnitDto, UpdateUnitDto } from './organisation.dto';

const HR = ['hr', 'admin'] as const;

@ApiTags('organisation')
@ApiBearerAuth()
@Controller()
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly people: PeopleService,
    private readonly rederivation: ResultsRederivation,
  ) {}

  @Post('organisations/:orgId/units')
  @Allow('organisation', 'orgId', HR)
  create(@Param('orgId') orgId: string, @Body() body: CreateUnitDto) {
    return this.units.create(orgId, body);
  }

  @Get('units/:unitId')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  get(@Param('unitId') unitId: string) {
    return this.units.get(unitId);
  }

  @Patch('units/:unitId')
  @Allow('unit', 'unitId', HR)
  async update(@Param('unitId') unitId: string, @Body() body: UpdateUnitDto) {
    const unit = await this.units.update(unitId, body);
    // A move makes results stale (in the same transaction); re-deriving them starts now.
    if (body.parentId !== undefined)
      await this.rederivation.start((await this.units.get(unitId)).organisationId);
    return unit;
  }

  @Get('units/:unitId/members')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  members(@Param('unitId') unitId: string) {
    return this.units.members(unitId);
  }

  @Post('units/:unitId/members')
  @HttpCode(204)
  @Allow('unit', 'unitId', HR)
  async addMember(@Param('unitId') unitId: string, @Body() body: AddMemberDto): Promise<void> {
    await this.people.addMembership(unitId, body.personId, body.role);
  }

  @Delete('units/:unitId/members/:personId')
  @HttpCode(204)
  @Allow('unit', 'unitId', HR)
  async removeMember(
    @Param('unitId') unitId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<void> {
    await this.people.removeMembership(unitId, personId);
  }
}
