import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { invalid } from '@trellis/errors';
import { ORGANISATION_ROLES, type OrganisationRoleName } from '@trellis/organisation';
import type { PipeTransform } from '@nestjs/common';
import {
  PEOPLE_ROLE_FILTERS,
  PEOPLE_STATUS_FILTERS,
  type PeopleRoleFilter,
  type PeopleStatusFilter,
} from './people-directory.service';

/** A filter left empty in a form ("Any team") is no filter. */
const blankIsAbsent = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** Search and filters of the people list, for the JSON route and the page alike. */
export class PeopleListQuery {
  @ApiPropertyOptional({ description: 'Part of a name or email' })
  @IsOptional()
  @Transform(blankIsAbsent)
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ description: 'A team: its members and leaders' })
  @IsOptional()
  @Transform(blankIsAbsent)
  @IsUUID('all', { message: 'must be a UUID' })
  unitId?: string;

  @ApiPropertyOptional({ enum: PEOPLE_ROLE_FILTERS })
  @IsOptional()
  @Transform(blankIsAbsent)
  @IsIn(PEOPLE_ROLE_FILTERS, { message: `must be one of ${PEOPLE_ROLE_FILTERS.join(', ')}` })
  role?: PeopleRoleFilter;

  @ApiPropertyOptional({ enum: PEOPLE_STATUS_FILTERS, default: 'all' })
  @IsOptional()
  @Transform(blankIsAbsent)
  @IsIn(PEOPLE_STATUS_FILTERS, { message: `must be one of ${PEOPLE_STATUS_FILTERS.join(', ')}` })
  status?: PeopleStatusFilter;

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000_000)
  offset: number = 0;
}

/** An organisation role named in a path; anything else is a 400 naming the parameter. */
export const roleParam: PipeTransform<string, OrganisationRoleName> = {
  transform(value: string): OrganisationRoleName {
    if (!(ORGANISATION_ROLES as readonly string[]).includes(value))
      throw invalid({ field: 'role', message: `must be one of ${ORGANISATION_ROLES.join(', ')}` });
    return value as OrganisationRoleName;
  },
};

/** The people page also says how many invitations "invite everyone" just sent. */
export class PeoplePageQuery extends PeopleListQuery {
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: 'must be a number' })
  invited?: string;
}
