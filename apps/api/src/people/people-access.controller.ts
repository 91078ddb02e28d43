import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Principal } from '@trellis/identity';
import { ORGANISATION_ROLES, type OrganisationRoleName } from '@trellis/organisation';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { uuidParam } from '../common/uuid';
import { OrganisationRolesService } from './organisation-roles.service';
import { PeopleDirectory } from './people-directory.service';
import { roleParam } from './people.dto';
import {
  ActivationDto,
  BulkInvitationDto,
  InvitationDto,
  LeadershipChangeDto,
  PersonDetailDto,
  RoleChangeDto,
} from './people.response';
import { PersonActivationService } from './person-activation.service';
import { SignInInvitationsService } from './sign-in-invitations.service';
import { TeamLeadershipService } from './team-leadership.service';

const HR = ['hr', 'admin'] as const;

const ROLE_PARAM = {
  name: 'role',
  enum: ORGANISATION_ROLES,
  description: 'The organisation role: hr or admin',
} as const;

/**
 * People and access, as JSON: thin adapters over one service per use case. The organisation in
 * the path is checked by the access rule; a person of another organisation is not found.
 */
@ApiTags('organisation')
@ApiSignedIn()
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
  @ApiAcceptedResponse({ type: BulkInvitationDto, description: 'The invitations are queued' })
  @ApiErrors(400, 404)
  inviteEveryone(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
  ): Promise<BulkInvitationDto> {
    return this.invitations.inviteEveryone(viewer, orgId);
  }

  @Get(':personId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'A person: teams with their role, organisation roles, status' })
  @ApiOkResponse({ type: PersonDetailDto })
  @ApiErrors(400, 404)
  detail(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<PersonDetailDto> {
    return this.directory.detail(orgId, personId, viewer);
  }

  @Put(':personId/roles/:role')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Grant HR or admin' })
  @ApiParam(ROLE_PARAM)
  @ApiOkResponse({ type: RoleChangeDto, description: 'Granted, or held already' })
  @ApiErrors(400, 404)
  grant(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('role', roleParam) role: OrganisationRoleName,
  ): Promise<RoleChangeDto> {
    return this.roles.grant(viewer, orgId, personId, role);
  }

  @Delete(':personId/roles/:role')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Revoke HR or admin; the last active admin cannot be removed' })
  @ApiParam(ROLE_PARAM)
  @ApiOkResponse({ type: RoleChangeDto, description: 'Revoked, or not held' })
  @ApiErrors(400, 404, 409)
  revoke(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('role', roleParam) role: OrganisationRoleName,
  ): Promise<RoleChangeDto> {
    return this.roles.revoke(viewer, orgId, personId, role);
  }

  @Put(':personId/leads/:unitId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Make the person the leader of a team' })
  @ApiOkResponse({ type: LeadershipChangeDto, description: 'Made leader, or leading already' })
  @ApiErrors(400, 404)
  lead(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('unitId', uuidParam('unitId')) unitId: string,
  ): Promise<LeadershipChangeDto> {
    return this.leadership.makeLeader(viewer, orgId, personId, unitId);
  }

  @Delete(':personId/leads/:unitId')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Remove the person as leader of a team; they stay in it as a member' })
  @ApiOkResponse({
    type: LeadershipChangeDto,
    description: 'Now a member of the team, or was not leading it',
  })
  @ApiErrors(400, 404)
  unlead(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Param('unitId', uuidParam('unitId')) unitId: string,
  ): Promise<LeadershipChangeDto> {
    return this.leadership.removeLeader(viewer, orgId, personId, unitId);
  }

  @Post(':personId/deactivate')
  @HttpCode(200)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary: 'Deactivate: no sign-in, sessions and API tokens end at once, not invited to rounds',
  })
  @ApiOkResponse({ type: ActivationDto, description: 'Deactivated, or inactive already' })
  @ApiErrors(400, 404, 409)
  deactivate(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<ActivationDto> {
    return this.activation.deactivate(viewer, orgId, personId);
  }

  @Post(':personId/reactivate')
  @HttpCode(200)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Reactivate a deactivated person' })
  @ApiOkResponse({ type: ActivationDto, description: 'Reactivated, or active already' })
  @ApiErrors(400, 404)
  reactivate(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<ActivationDto> {
    return this.activation.reactivate(viewer, orgId, personId);
  }

  @Post(':personId/sign-in-invitation')
  @HttpCode(202)
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'Email the person a single-use link to set a password (72 hours)' })
  @ApiAcceptedResponse({ type: InvitationDto, description: 'The email is queued' })
  @ApiErrors(400, 404, 409)
  invite(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
  ): Promise<InvitationDto> {
    return this.invitations.inviteOne(viewer, orgId, personId);
  }
}
