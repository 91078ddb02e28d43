import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { AUDIT_KIND_NAMES, type AuditKind } from '@trellis/audit';
import { IsCalendarDate } from '../common/calendar-date';
import { LimitQuery } from '../common/limit-query';

export class AuditQuery extends LimitQuery {
  @ApiPropertyOptional({ description: "The previous page's nextBefore" })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'must be a nextBefore from a previous page' })
  before?: string;

  @ApiPropertyOptional({ example: 'export.download' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,60}$/, { message: 'must be an action name such as report.view' })
  action?: string;

  @ApiPropertyOptional({ enum: AUDIT_KIND_NAMES, description: 'A kind of action' })
  @IsOptional()
  @IsIn(AUDIT_KIND_NAMES, { message: `must be one of ${AUDIT_KIND_NAMES.join(', ')}` })
  kind?: AuditKind;

  @ApiPropertyOptional({ description: 'Only what this person did (their id)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be the id of a person' })
  actor?: string;

  @ApiPropertyOptional({ example: '2026-11-01', description: 'From this day (UTC), included' })
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Up to this day (UTC), included' })
  @IsOptional()
  @IsCalendarDate()
  to?: string;
}

class AuditActorDto {
  @ApiProperty({ nullable: true, type: String }) personId!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ['session', 'api_token', 'system'] }) via!: string;
}

class AuditTargetDto {
  @ApiProperty({ nullable: true, type: String }) kind!: string | null;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

class AuditEventDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'roster.import' }) action!: string;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What was read (its filters), or the counts, before and after of a change',
  })
  detail!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) events!: AuditEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as before for the next page' })
  nextBefore!: string | null;
}
