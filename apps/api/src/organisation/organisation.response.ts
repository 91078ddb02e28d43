import { ApiProperty } from '@nestjs/swagger';
import { DEFAULT_FLAG_THRESHOLDS, type FlagThresholds } from '@trellis/scoring';
import {
  MEMBERSHIP_ROLES,
  ORGANISATION_ROLES,
  type MembershipRole,
  type OrganisationRoleName,
  type RosterImportSummary,
} from '@trellis/organisation';

export class OrganisationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'acme' }) slug!: string;
  @ApiProperty({ example: 'Acme' }) name!: string;
  @ApiProperty({ description: 'Units, the organisation unit itself included' }) unitCount!: number;
  @ApiProperty() personCount!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class UnitDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null for the organisation unit',
  })
  parentId!: string | null;
  @ApiProperty({ enum: ['organisation', 'department', 'team'] }) kind!:
    'organisation' | 'department' | 'team';
  @ApiProperty({ example: 'platform' }) key!: string;
  @ApiProperty({ example: 'Platform' }) name!: string;
  @ApiProperty({
    description:
      'Distinct active people who are members of this unit or of a unit below it (a person in two teams counts once)',
  })
  memberCount!: number;
  @ApiProperty() leaderCount!: number;
}

export class UnitWithOrganisationDto extends UnitDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) personId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES }) role!: MembershipRole;
}

export class PersonSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Has a password, so can sign in' }) canSignIn!: boolean;
}

export class PersonMembershipDto {
  @ApiProperty({ format: 'uuid' }) unitId!: string;
  @ApiProperty() unitName!: string;
  @ApiProperty() unitKey!: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES }) role!: MembershipRole;
}

export class PersonDto extends PersonSummaryDto {
  @ApiProperty({ format: 'uuid' }) organisationId!: string;
  @ApiProperty({ enum: ORGANISATION_ROLES, isArray: true }) roles!: OrganisationRoleName[];
  @ApiProperty({ type: [PersonMembershipDto] }) memberships!: PersonMembershipDto[];
}

/** One person in the people directory (PeopleDirectory.list). */
export class PersonListItemDto extends PersonSummaryDto {
  @ApiProperty({
    description: 'Not deactivated: may sign in (with a password) and is invited to rounds',
  })
  active!: boolean;
  @ApiProperty({ enum: ORGANISATION_ROLES, isArray: true }) roles!: OrganisationRoleName[];
  @ApiProperty({
    type: [PersonMembershipDto],
    description: 'The units the person is in, the ones they lead first, then by name',
  })
  teams!: PersonMembershipDto[];
}

export class PeoplePageDto {
  @ApiProperty({ type: [PersonListItemDto] }) items!: PersonListItemDto[];
  @ApiProperty({ description: 'How many match, over all pages' }) total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

class ImportCountsDto {
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
}

class MembershipCountsDto extends ImportCountsDto {
  @ApiProperty({ description: 'Memberships of the imported teams that the file no longer lists' })
  removed!: number;
}

export class RosterImportSummaryDto implements RosterImportSummary {
  @ApiProperty({ description: 'Data rows read' }) rows!: number;
  @ApiProperty({ description: 'true: nothing was written' }) dryRun!: boolean;
  @ApiProperty({ type: ImportCountsDto }) departments!: ImportCountsDto;
  @ApiProperty({ type: ImportCountsDto }) teams!: ImportCountsDto;
  @ApiProperty({ type: ImportCountsDto }) people!: ImportCountsDto;
  @ApiProperty({ type: MembershipCountsDto }) memberships!: MembershipCountsDto;
}

class AnonymitySettingsDto {
  @ApiProperty({
    description:
      'k: the fewest respondents a shown aggregate (or a difference of shown aggregates) may hold',
    example: 5,
  })
  minGroupSize!: number;
  @ApiProperty({ description: 'The fewest comments a shown comment pool may hold', example: 10 })
  minCommentGroup!: number;
}

class NotificationSettingsDto {
  @ApiProperty({ description: 'Email HR about new flags too' }) notifyHr!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uri',
    description: 'A Slack-compatible incoming webhook',
  })
  webhookUrl!: string | null;
}

/** The settings in force: what was set, the defaults for the rest. */
export class SettingsDto {
  @ApiProperty({ type: AnonymitySettingsDto }) anonymity!: AnonymitySettingsDto;
  @ApiProperty({
    type: 'object',
    description:
      'Flag thresholds by rule (quadrant, micromanagement, abandonment, lowSafety, splitTeam, declining, perceptionGap, lowParticipation), each a set of named numbers',
    additionalProperties: { type: 'object', additionalProperties: { type: 'number' } },
    example: DEFAULT_FLAG_THRESHOLDS,
  })
  flags!: FlagThresholds;
  @ApiProperty({ type: NotificationSettingsDto }) notifications!: NotificationSettingsDto;
}
