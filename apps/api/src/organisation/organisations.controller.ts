import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { OrganisationsService, UnitsService } from '@trellis/organisation';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import type { AccessScope } from '../access/access.guard';
import { CurrentPrincipal, CurrentScope } from '../access/principal.decorator';
import { RenameOrganisationDto } from './organisation.dto';

@ApiTags('organisation')
@ApiBearerAuth()
@Controller('organisations/:orgId')
export class OrganisationsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly units: UnitsService,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  get(@Param('orgId') orgId: string) {
    return this.organisations.get(orgId);
  }

  @Patch()
  @Allow('organisation', 'orgId', ['admin'])
  rename(@Param('orgId') orgId: string, @Body() body: RenameOrganisationDto) {
    return this.organisations.rename(orgId, body.name);
  }

  /** HR and admins get the whole tree; a leader gets the teams they lead and what lies below them. */
  @Get('units')
  @Allow('organisation', 'orgId', ['hr', 'admin', 'leader'])
  listUnits(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentScope() scope: AccessScope,
  ) {
    return this.units.list(
      orgId,
      scope === 'organisation'
        ? { kind: 'organisation' }
        : { kind: 'leader', personId: principal.personId },
    );
  }
}
