import { ApiProperty } from '@nestjs/swagger';
import {
  MEMBERSHIP_ROLES,
  ORGANISATION_ROLES,
  type MembershipRole,
  type OrganisationRoleName,
} from '@trellis/organisation';
import { PersonListItemDto } from '../organisation/organisation.response';

/** The newest sign-in link of a person still working or waiting to be sent. */
class PendingLinkDto {
  @ApiProperty({ enum: ['invite', 'reset'] }) purpose!: 'invite' | 'reset';
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt!: Date;
  @ApiProperty({ description: 'The email went out (false: queued, not sent yet)' }) sent!: boolean;
}

/** What the caller may do to this person, by the people policy. */
class PersonActionsDto {
  @ApiProperty({ description: 'Grant or revoke HR and admin' }) grantRoles!: boolean;
  @ApiProperty({ description: 'Make them leader of a team, or remove them as one' }) lead!: boolean;
  @ApiProperty({ description: 'Deactivate or reactivate them' }) deactivate!: boolean;
  @ApiProperty({ description: 'Email them a sign-in invitation' }) invite!: boolean;
}

/** One person of the organisation, as HR and admins see them (PeopleDirectory.detail). */
export class PersonDetailDto extends PersonListItemDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When they were deactivated; null while active',
  })
  deactivatedAt!: Date | null;
  @ApiProperty({
    type: PendingLinkDto,
    nullable: true,
    description: 'The newest sign-in link still working or waiting to be sent; null when none',
  })
  pendingLink!: PendingLinkDto | null;
  @ApiProperty({ type: PersonActionsDto }) allowed!: PersonActionsDto;
}

/** A role granted or revoked (OrganisationRolesService). */
export class RoleChangeDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ enum: ORGANISATION_ROLES }) role!: OrganisationRoleName;
  @ApiProperty({ description: 'false: it was so already, nothing was written' }) changed!: boolean;
  @ApiProperty({
    enum: ORGANISATION_ROLES,
    isArray: true,
    description: 'The roles the person holds now',
  })
  roles!: OrganisationRoleName[];
}

/** A team leader made or removed (TeamLeadershipService). */
export class LeadershipChangeDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty({ description: 'false: it was so already, nothing was written' }) changed!: boolean;
  @ApiProperty({
    enum: MEMBERSHIP_ROLES,
    nullable: true,
    description: "The person's place in the team now; null when they are not in it",
  })
  role!: MembershipRole | null;
}

/** A person deactivated or reactivated (PersonActivationService). */
export class ActivationDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ description: 'Active now' }) active!: boolean;
  @ApiProperty({ description: 'false: it was so already, nothing was written' }) changed!: boolean;
}

/** A sign-in invitation queued for one person. */
export class InvitationDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the link stops working' })
  expiresAt!: Date;
}

/** Sign-in invitations queued for everyone imported who needs an account. */
export class BulkInvitationDto {
  @ApiProperty({ description: 'How many people were invited', example: 12 }) invited!: number;
}
