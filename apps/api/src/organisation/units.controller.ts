import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PeopleService, UnitsService } from '@trellis/organisation';
import { ResultsRederivation } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { uuidParam } from '../common/uuid';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { AddMemberDto, CreateUnitDto, UpdateUnitDto } from './organisation.dto';
import { MemberDto, UnitDto, UnitWithOrganisationDto } from './organisation.response';

const HR = ['hr', 'admin'] as const;

@ApiTags('organisation')
@ApiSignedIn()
@Controller()
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly people: PeopleService,
    private readonly rederivation: ResultsRederivation,
  ) {}

  @Post('organisations/:orgId/units')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Add a department or team under a unit (the organisation by default)' })
  @ApiCreatedResponse({ type: UnitDto })
  @ApiErrors(400, 404, 409)
  create(@Param('orgId') orgId: string, @Body() body: CreateUnitDto): Promise<UnitDto> {
    return this.units.create(orgId, body);
  }

  @Get('units/:unitId')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: 'A unit with its member and leader counts' })
  @ApiOkResponse({ type: UnitWithOrganisationDto })
  @ApiErrors(400, 404)
  get(@Param('unitId') unitId: string): Promise<UnitWithOrganisationDto> {
    return this.units.get(unitId);
  }

  @Patch('units/:unitId')
  @Allow('unit', 'unitId', HR)
  @ApiOperation({ summary: 'Rename a unit or move it under another; a move re-derives results' })
  @ApiOkResponse({ type: UnitDto })
  @ApiErrors(400, 404, 409)
  async update(@Param('unitId') unitId: string, @Body() body: UpdateUnitDto): Promise<UnitDto> {
    const unit = await this.units.update(unitId, body);
    // A move makes results stale (in the same transaction); re-deriving them starts now.
    if (body.parentId !== undefined)
      await this.rederivation.start((await this.units.get(unitId)).organisationId);
    return unit;
  }

  @Get('units/:unitId/members')
  @Allow('unit', 'unitId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: "A unit's members and leaders" })
  @ApiOkResponse({ type: [MemberDto] })
  @ApiErrors(400, 404)
  members(@Param('unitId') unitId: string): Promise<MemberDto[]> {
    return this.units.members(unitId);
  }

  @Post('units/:unitId/members')
  @HttpCode(204)
  @Allow('unit', 'unitId', HR)
  @ApiOperation({ summary: 'Add a person to a unit as member or leader' })
  @ApiNoContentResponse({ description: 'Added' })
  @ApiErrors(400, 404, 409)
  async addMember(@Param('unitId') unitId: string, @Body() body: AddMemberDto): Promise<void> {
    await this.people.addMembership(unitId, body.personId, body.role);
  }

  @Delete('units/:unitId/members/:personId')
  @HttpCode(204)
  @Allow('unit', 'unitId', HR)
  @ApiOperation({ summary: 'Remove a person from a unit' })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 404)
  async removeMember(
    @Param('unitId') unitId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<void> {
    await this.people.removeMembership(unitId, personId);
  }
}
