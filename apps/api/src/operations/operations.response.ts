import { ApiProperty } from '@nestjs/swagger';
import { QUEUES } from '@trellis/jobs';

class FailedJobDto {
  @ApiProperty() jobId!: string;
  @ApiProperty() queue!: string;
  @ApiProperty() name!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() failures!: number;
  @ApiProperty({ description: 'The last error, short and scrubbed' }) error!: string;
  @ApiProperty({ type: String, format: 'date-time' }) firstFailedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) lastFailedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt!: Date | null;
}

class UnsentInvitationsDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty() unsent!: number;
  @ApiProperty({ type: String, format: 'date-time' }) since!: Date;
}

class DueRoundDto {
  @ApiProperty({ format: 'uuid' }) roundId!: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: 'open' | 'closed';
  @ApiProperty({ type: String, format: 'date-time' }) since!: Date;
}

class UnfinishedExportDto {
  @ApiProperty({ format: 'uuid' }) exportId!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ type: String, format: 'date-time' }) since!: Date;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

class UnsentNotificationDto {
  @ApiProperty({ format: 'uuid' }) notificationId!: string;
  @ApiProperty() status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ type: String, format: 'date-time' }) since!: Date;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
}

class UnfinishedWorkDto {
  @ApiProperty({ type: [UnsentInvitationsDto] }) invitations!: UnsentInvitationsDto[];
  @ApiProperty({ type: [DueRoundDto] }) rounds!: DueRoundDto[];
  @ApiProperty({ type: [UnfinishedExportDto] }) exports!: UnfinishedExportDto[];
  @ApiProperty({ type: [UnsentNotificationDto] }) notifications!: UnsentNotificationDto[];
}

export class WorkHealthDto {
  @ApiProperty({
    type: [FailedJobDto],
    description: 'Jobs that failed for good (still open, or resolved in the last day)',
  })
  failedJobs!: FailedJobDto[];
  @ApiProperty({
    type: UnfinishedWorkDto,
    description: 'What PostgreSQL says is due and not done yet, oldest first',
  })
  unfinished!: UnfinishedWorkDto;
  @ApiProperty({
    type: 'object',
    nullable: true,
    description: `Jobs per state (waiting, active, failed, …) for each queue (${Object.keys(QUEUES).join(', ')}), install-wide; null while Redis cannot be asked`,
    additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
  })
  queues!: Record<string, Record<string, number>> | null;
}

export class LiveDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}
