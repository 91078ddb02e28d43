import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@trellis/identity';
import type { OrganisationRoleName } from '@trellis/organisation';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { uuidParam } from '../common/uuid';
import { OrganisationRolesService } from './organisation-roles.service';
import { PeopleDirectory } from './people-directory.service';
import { roleParam } from './people.dto';
import { PersonActivationService } from './person-activation.service';
import { SignInInvitationsService } from './sign-in-invitations.service';
import { TeamLeadershipService } from './team-leadership.service';

const HR = ['hr', 'admin'] as const;

/**
 * People and access, as JSON: thin adapters over one service per use case. The organisation in
 * the path is checked by the access rule; a person of another organisation is not found.
 */
@ApiTags('people')
@ApiBearerAuth()
@Controller('organisations/:orgId/people')
export class PeopleAccessController {
  constructor(
    private readonly directory: PeopleDirectory,
    private readonly roles: OrganisationRolesService,
    private readonly leadership: TeamLeadershipService,
    private readonly activation: PersonActivationService,
    private readonly invitations: SignInInvitationsService,
  ) {}

  @Post('sign-in-invitations')
  @HttpCode(202)
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary:
      'Invite everyone imported who needs an account (active, no password, holds a role or leads a team)',
  })
  inviteEveryone(@CurrentPrincipal() viewer: Principal, @Param('orgId') orgId: string) {
    return this.invitations.inviteEveryone(viewer, orgId);
  }

  @Get(':personId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'A person: teams with their role, organisation roles, status' })
  detail(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ) {
    return this.directory.detail(orgId, personId, viewer);
  }

  @Put(':personId/roles/:role')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Grant HR or admin' })
  grant(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('role', roleParam) role: OrganisationRoleName,
  ) {
    return this.roles.grant(viewer, orgId, personId, role);
  }

  @Delete(':personId/roles/:role')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Revoke HR or admin; the last active admin cannot be removed' })
  revoke(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('role', roleParam) role: OrganisationRoleName,
  ) {
    return this.roles.revoke(viewer, orgId, personId, role);
  }

  @Put(':personId/leads/:unitId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Make the person the leader of a team' })
  lead(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('unitId', uuidParam('unitId')) unitId: string,
  ) {
    return this.leadership.makeLeader(viewer, orgId, personId, unitId);
  }

  @Delete(':personId/leads/:unitId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Remove the person as leader of a team; they stay in it as a member' })
  unlead(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('unitId', uuidParam('unitId')) unitId: string,
  ) {
    return this.leadership.removeLeader(viewer, orgId, personId, unitId);
  }

  @Post(':personId/deactivate')
  @HttpCode(200)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary: 'Deactivate: no sign-in, sessions and API tokens end at once, not invited to rounds',
  })
  deactivate(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ) {
    return this.activation.deactivate(viewer, orgId, personId);
  }

  @Post(':personId/reactivate')
  @HttpCode(200)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Reactivate a deactivated person' })
  reactivate(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ) {
    return this.activation.reactivate(viewer, orgId, personId);
  }

  @Post(':personId/sign-in-invitation')
  @HttpCode(202)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Email the person a single-use link to set a password (72 hours)' })
  invite(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ) {
    return this.invitations.inviteOne(viewer, orgId, personId);
  }
}
