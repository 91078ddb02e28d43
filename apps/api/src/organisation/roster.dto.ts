import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class ConfirmRosterQuery {
  @ApiProperty({
    description: 'The previewHash of POST /organisations/{orgId}/roster/preview for this file',
  })
  @Matches(/^[0-9a-f]{64}\.[0-9a-f]{64}$/, {
    message: 'must be the previewHash of a preview of this file',
  })
  preview!: string;
}

class RosterProblemDto {
  @ApiProperty({ example: 3 }) line!: number;
  @ApiProperty({ example: 'email', description: 'A column name, or * for the whole row' })
  column!: string;
  @ApiProperty() message!: string;
}

class PersonRefDto {
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: 'The first line of the file naming this person' })
  line?: number;
}

class NameBefore {
  @ApiProperty() name!: string;
}

class PersonRenameDto extends PersonRefDto {
  @ApiProperty({ type: NameBefore }) before!: NameBefore;
}

class UnitRefDto {
  @ApiProperty({ enum: ['department', 'team'] }) kind!: string;
  @ApiProperty({ description: 'The team key, or a department path' }) key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The department path above it; empty at the top' }) parent!: string;
  @ApiProperty() line!: number;
}

class UnitBefore {
  @ApiProperty() name!: string;
  @ApiProperty() parent!: string;
}

class UnitChangeDto extends UnitRefDto {
  @ApiProperty({ type: UnitBefore }) before!: UnitBefore;
  @ApiProperty({ description: 'Whether it moves below another unit' }) moved!: boolean;
}

class MembershipRefDto {
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() teamKey!: string;
  @ApiProperty({ enum: ['member', 'leader'] }) role!: string;
  @ApiPropertyOptional() line?: number;
}

class RoleBefore {
  @ApiProperty({ enum: ['member', 'leader'] }) role!: string;
}

class MembershipRoleChangeDto extends MembershipRefDto {
  @ApiProperty({ type: RoleBefore }) before!: RoleBefore;
}

class PeoplePlanDto {
  @ApiProperty({ type: [PersonRefDto] }) added!: PersonRefDto[];
  @ApiProperty({ type: [PersonRenameDto] }) renamed!: PersonRenameDto[];
  @ApiProperty() unchanged!: number;
  @ApiProperty({
    type: [PersonRefDto],
    description: 'People left without any team; they keep their account and past answers',
  })
  leavingAllTeams!: PersonRefDto[];
}

class UnchangedUnits {
  @ApiProperty() departments!: number;
  @ApiProperty() teams!: number;
}

class UnitsPlanDto {
  @ApiProperty({ type: [UnitRefDto] }) added!: UnitRefDto[];
  @ApiProperty({ type: [UnitChangeDto] }) changed!: UnitChangeDto[];
  @ApiProperty({ type: UnchangedUnits }) unchanged!: UnchangedUnits;
}

class MembershipsPlanDto {
  @ApiProperty({ type: [MembershipRefDto] }) started!: MembershipRefDto[];
  @ApiProperty({ type: [MembershipRoleChangeDto] }) roleChanged!: MembershipRoleChangeDto[];
  @ApiProperty({ type: [MembershipRefDto] }) ended!: MembershipRefDto[];
  @ApiProperty() unchanged!: number;
}

export class RosterPlanDto {
  @ApiProperty() rows!: number;
  @ApiProperty({ type: [RosterProblemDto] }) problems!: RosterProblemDto[];
  @ApiProperty({ type: PeoplePlanDto }) people!: PeoplePlanDto;
  @ApiProperty({ type: UnitsPlanDto }) units!: UnitsPlanDto;
  @ApiProperty({ type: MembershipsPlanDto }) memberships!: MembershipsPlanDto;
}

export class RosterPreviewDto {
  @ApiProperty({ description: 'Send it back to confirm exactly this file and these changes' })
  previewHash!: string;
  @ApiProperty({ type: RosterPlanDto }) plan!: RosterPlanDto;
  @ApiProperty({ description: 'False when the file has problems or changes nothing' })
  canConfirm!: boolean;
}

export class RosterImportResultDto {
  @ApiProperty() previewHash!: string;
  @ApiProperty() importedAt!: string;
  @ApiProperty({ type: RosterPlanDto }) plan!: RosterPlanDto;
}
