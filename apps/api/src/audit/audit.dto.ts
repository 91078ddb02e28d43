import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class AuditQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextBefore" })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,17}$/, { message: 'must be a nextBefore from a previous page' })
  before?: string;

  @ApiPropertyOptional({ example: 'export.download' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,60}$/, { message: 'must be an action name such as report.view' })
  action?: string;
}
