import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  ValidateBy,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CADENCES, type Cadence } from '@trellis/surveys';
import { Trim } from '../common/trim';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (so 2026-02-30 is refused here, not by the database). */
function IsCalendarDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !DATE.test(value)) return false;
        const day = new Date(`${value}T00:00:00Z`);
        return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value);
      },
      defaultMessage: () => 'must be a date that exists, written like 2026-11-23',
    },
  });
}

export class CreateCampaignDto {
  @ApiProperty({ example: 'Engineering pulse' }) @Trim() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ description: 'Defaults to the built-in Autonomy–Alignment Pulse' })
  @IsOptional()
  @IsUUID()
  instrumentId?: string;
  @ApiProperty({ enum: ['short', 'full'], description: 'short: two rotating items per dimension' })
  @IsIn(['short', 'full'])
  form!: 'short' | 'full';
  @ApiProperty({ enum: CADENCES }) @IsIn(CADENCES) cadence!: Cadence;
  @ApiPropertyOptional({
    description: 'Cron expression (5 or 6 fields), only with cadence "cron"',
    example: '0 9 * * 1',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cron?: string;
  @ApiProperty({ example: 'Europe/Berlin' }) @IsString() @Length(1, 64) timezone!: string;
  @ApiProperty({ description: 'How long a round stays open, in days', example: 5 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1 / 86_400)
  @Max(90)
  openDays!: number;
  @ApiProperty({
    description: 'Days after opening when those who have not answered are reminded',
    type: [Number],
    example: [2, 4],
  })
  @IsArray()
  @ArrayMaxSize(5)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  reminderDays!: number[];
  @ApiPropertyOptional({
    default: true,
    description: 'Ask each team leader for their own view too',
  })
  @IsOptional()
  @IsBoolean()
  leaderSelfView: boolean = true;
  @ApiProperty({ example: '2026-12-01' })
  @IsCalendarDate()
  startsOn!: string;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  teamIds!: string[];
}

export class UpdateCampaignDto {
  @ApiPropertyOptional() @IsOptional() @Trim() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ enum: ['short', 'full'] })
  @IsOptional()
  @IsIn(['short', 'full'])
  form?: 'short' | 'full';
  @ApiPropertyOptional({ enum: CADENCES }) @IsOptional() @IsIn(CADENCES) cadence?: Cadence;
  @ApiPropertyOptional({ description: 'Only with cadence "cron"', example: '0 9 * * 1' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cron?: string;
  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;
  @ApiPropertyOptional({ description: 'How long a round stays open, in days' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(1 / 86_400)
  @Max(90)
  openDays?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() leaderSelfView?: boolean;
  @ApiPropertyOptional({ example: '2026-12-01' })
  @IsOptional()
  @IsCalendarDate()
  startsOn?: string;
  @ApiPropertyOptional({ type: [String], description: 'Replaces the teams; future rounds only' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  teamIds?: string[];
  @ApiPropertyOptional({ description: 'false pauses the campaign: no new rounds open' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @IsNumber({ allowNaN: false, allowInfinity: false }, { each: true })
  reminderDays?: number[];
}

export class HistoryImportQuery {
  @ApiPropertyOptional({ description: 'Import into this closed round instead of making a new one' })
  @IsOptional()
  @IsUUID()
  roundId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() instrumentId?: string;
  @ApiPropertyOptional({ example: '2026-01-05' })
  @IsOptional()
  @IsCalendarDate()
  periodStart?: string;
  @ApiPropertyOptional({ example: '2026-01-18' })
  @IsOptional()
  @IsCalendarDate()
  periodEnd?: string;
}
