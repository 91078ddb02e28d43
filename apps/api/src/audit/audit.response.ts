import { ApiProperty } from '@nestjs/swagger';

class AuditActorDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) personId!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ enum: ['session', 'api_token', 'system'] }) via!: string;
}

class AuditTargetDto {
  @ApiProperty({ nullable: true, type: String, example: 'unit' }) kind!: string | null;
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
}

export class AuditEventDto {
  @ApiProperty({ example: '1042' }) id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'report.view' }) action!: string;
  @ApiProperty({ type: AuditTargetDto }) target!: AuditTargetDto;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'What was asked for, e.g. the query filters of a read',
  })
  detail!: Record<string, unknown>;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEventDto] }) events!: AuditEventDto[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as before for the next page; null on the last page',
  })
  nextBefore!: string | null;
}
