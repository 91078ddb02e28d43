import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OrganisationsService, UnitsService } from '@trellis/organisation';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import type { AccessScope } from '../access/access.guard';
import { CurrentPrincipal, CurrentScope } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { RenameOrganisationDto } from './organisation.dto';
import { OrganisationDto, UnitDto } from './organisation.response';

@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly units: UnitsService,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  @ApiOperation({ summary: 'The organisation, with how many units and people it has' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiErrors(400, 404)
  get(@Param('orgId') orgId: string): Promise<OrganisationDto> {
    return this.organisations.get(orgId);
  }

  @Patch()
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Rename the organisation' })
  @ApiOkResponse({ type: OrganisationDto })
  @ApiErrors(400, 404)
  rename(
    @Param('orgId') orgId: string,
    @Body() body: RenameOrganisationDto,
  ): Promise<OrganisationDto> {
    return this.organisations.rename(orgId, body.name);
  }

  /** HR and admins get the whole tree; a leader gets the teams they lead and what lies below them. */
  @Get('units')
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  @ApiOperation({
    summary: 'Units: the whole tree for HR and admins; for a leader, the teams they lead and below',
  })
  @ApiOkResponse({ type: [UnitDto] })
  @ApiErrors(400, 404)
  listUnits(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: AccessScope,
  ): Promise<UnitDto[]> {
    return this.units.list(
      orgId,
      scope === 'organisation'
        ? { kind: 'organisation' }
        : { kind: 'leader', personId: principal.personId },
    );
  }
}
