import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { invalid } from '@trellis/errors';
import type { TrendFilters } from '@trellis/exports';
import { IsCalendarDate } from '../common/calendar-date';

const DIMENSION_KEY = /^[a-z][a-z0-9_]{0,39}$/;

/** "a,b" in a query string, ["a","b"] in a body: both become a list. */
const CommaList = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value,
  );

/** An empty field of a submitted form means the filter is not set. */
const EmptyIsUnset = () =>
  Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** The filters every form of the trend data accepts. */
export class TrendFiltersDto {
  @ApiPropertyOptional({
    description: 'Rounds whose period starts on or after this day',
    example: '2025-11-24',
  })
  @IsOptional()
  @EmptyIsUnset()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({
    description: 'Rounds whose period starts on or before this day',
    example: '2026-11-23',
  })
  @IsOptional()
  @EmptyIsUnset()
  @IsCalendarDate()
  to?: string;

  @ApiPropertyOptional({ description: 'This unit and every unit below it' })
  @IsOptional()
  @EmptyIsUnset()
  @IsUUID()
  unitId?: string;

  @ApiPropertyOptional({
    description: 'Dimension keys (comma-separated in a query string)',
    example: ['autonomy', 'alignment'],
    type: [String],
  })
  @IsOptional()
  @CommaList()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(DIMENSION_KEY, { each: true, message: 'each must be a dimension key' })
  dimensions?: string[];
}

export class CreateExportDto extends TrendFiltersDto {
  @ApiProperty({ enum: ['csv', 'xlsx'] })
  @IsIn(['csv', 'xlsx'])
  format!: 'csv' | 'xlsx';
}

export class TrendPageQuery extends TrendFiltersDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5000, default: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5000)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,2000}$/, { message: 'must be a nextCursor from a previous page' })
  cursor?: string;
}

/** The filters as the services take them, refusing a range that ends before it starts. */
export function filtersOf(dto: TrendFiltersDto): TrendFilters {
  if (dto.from && dto.to && dto.from > dto.to)
    throw invalid({
      field: 'from',
      message: `must not be after the end of the range (to, ${dto.to})`,
    });
  return {
    ...(dto.from ? { from: dto.from } : {}),
    ...(dto.to ? { to: dto.to } : {}),
    ...(dto.unitId ? { unitId: dto.unitId } : {}),
    ...(dto.dimensions?.length ? { dimensions: [...new Set(dto.dimensions)] } : {}),
  };
}
