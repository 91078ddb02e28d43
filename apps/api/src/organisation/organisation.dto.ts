import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Trim } from '../common/trim';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import {
  ORGANISATION_ROLES,
  MEMBERSHIP_ROLES,
  type MembershipRole,
  type OrganisationRoleName,
} from '@trellis/organisation';

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const KEY_MESSAGE =
  'must be 1-64 letters, digits, dot, dash or underscore, starting with a letter or digit';

export class RenameOrganisationDto {
  @ApiProperty() @Trim() @IsString() @Length(1, 200) name!: string;
}

export class CreateUnitDto {
  @ApiProperty() @Trim() @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'platform' }) @Matches(KEY, { message: KEY_MESSAGE }) key!: string;
  @ApiProperty({ enum: ['department', 'team'] }) @IsIn(['department', 'team']) kind!:
    'department' | 'team';
  @ApiPropertyOptional({ description: 'Defaults to the organisation unit' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UpdateUnitDto {
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() parentId?: string;
}

export class AddMemberDto {
  @ApiProperty() @IsUUID() personId!: string;
  @ApiProperty({ enum: MEMBERSHIP_ROLES }) @IsIn(MEMBERSHIP_ROLES) role!: MembershipRole;
}

export class CreatePersonDto {
  @ApiProperty()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;
  @ApiProperty() @Trim() @IsString() @Length(1, 200) name!: string;
}

export class UpdatePersonDto {
  @ApiProperty() @Trim() @IsString() @Length(1, 200) name!: string;
}

export class SetRolesDto {
  @ApiProperty({ enum: ORGANISATION_ROLES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ORGANISATION_ROLES.length)
  @IsIn(ORGANISATION_ROLES, { each: true })
  roles!: OrganisationRoleName[];
}

export class SetPasswordDto {
  @ApiProperty({
    nullable: true,
    description: 'null removes the password: the person can no longer sign in',
  })
  @ValidateIf((o: SetPasswordDto) => o.password !== null)
  @IsString()
  @MinLength(10)
  @MaxLength(1000)
  password!: string | null;
}

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Validate and count without writing' })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  dryRun?: 'true' | 'false';
}
