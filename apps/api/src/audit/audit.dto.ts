import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
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
}
