import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TREND_COLUMNS } from '@trellis/exports';

class ExportFiltersDto {
  @ApiPropertyOptional({ format: 'date' }) from?: string;
  @ApiPropertyOptional({ format: 'date' }) to?: string;
  @ApiPropertyOptional({ format: 'uuid' }) unitId?: string;
  @ApiPropertyOptional({ type: [String] }) dimensions?: string[];
}

class ExportProgressDto {
  @ApiProperty() rowsWritten!: number;
  @ApiProperty({ type: Number, nullable: true }) totalRows!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: '0..100' }) percent!: number | null;
}

export class ExportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['csv', 'xlsx'] }) format!: 'csv' | 'xlsx';
  @ApiProperty({ type: ExportFiltersDto }) filters!: ExportFiltersDto;
  @ApiProperty({ enum: ['queued', 'running', 'ready', 'failed', 'expired', 'withdrawn'] })
  status!: 'queued' | 'running' | 'ready' | 'failed' | 'expired' | 'withdrawn';
  @ApiProperty({ type: ExportProgressDto }) progress!: ExportProgressDto;
  @ApiProperty({ type: Number, nullable: true, description: 'Size of the finished file' })
  bytes!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Set once the file is ready' })
  downloadUrl!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why a finished export can no longer be downloaded, when it was withdrawn',
  })
  withdrawnBecause!: string | null;
}

/** Text or a number; null where a suppressed unit carries no number. */
const CELL = {
  anyOf: [
    { type: 'string', nullable: true },
    { type: 'number', nullable: true },
  ],
};

export class TrendPageDto {
  @ApiProperty({
    type: 'array',
    items: { type: 'string', enum: [...TREND_COLUMNS] },
    description: 'The columns of each row, in the order of the CSV export',
  })
  columns!: readonly string[];
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      properties: Object.fromEntries(TREND_COLUMNS.map((column) => [column, CELL])),
      required: [...TREND_COLUMNS],
    },
    description: 'Suppressed units keep their respondent count and carry no numbers (null)',
  })
  rows!: Record<string, string | number | null>[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
