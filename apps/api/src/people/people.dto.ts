import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { invalid } from '@trellis/errors';
import { ORGANISATION_ROLES, type OrganisationRoleName } from '@trellis/organisation';
import type { PipeTransform } from '@nestjs/common';
import {
  PEOPLE_ROLE_FILTERS,
  PEOPLE_STATUS_FILTERS,
  type PeopleRoleFilter,
  type PeopleStatusFilter,
} from './people-directory.service';

/** Search and filters of the people list, for the JSON route and the page alike. */
export class PeopleListQuery {
  @ApiPropertyOptional({ description: 'Part of a name or email' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ description: 'A team: its members and leaders' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  unitId?: string;

  @ApiPropertyOptional({ enum: PEOPLE_ROLE_FILTERS })
  @IsOptional()
  @IsIn(PEOPLE_ROLE_FILTERS, { message: `must be one of ${PEOPLE_ROLE_FILTERS.join(', ')}` })
  role?: PeopleRoleFilter;

  @ApiPropertyOptional({ enum: PEOPLE_STATUS_FILTERS, default: 'all' })
  @IsOptional()
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
