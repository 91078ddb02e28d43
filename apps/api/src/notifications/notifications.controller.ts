import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { NotificationsService, type NotificationStatus } from '@trellis/notifications';
import { Allow } from '../access/access.decorator';
import { LimitQuery } from '../common/limit-query';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { NotificationDto } from './notifications.response';

export class NotificationsQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ['pending', 'sent', 'failed'] })
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed'])
  status?: NotificationStatus;
}

/** Every flag notification and how its delivery went, failures included. */
@ApiTags('notifications')
@ApiSignedIn()
@Controller('organisations/:orgId/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({
    summary: 'Flag notifications, newest first: pending, sent, or failed with the last error',
  })
  @ApiOkResponse({ type: [NotificationDto] })
  @ApiErrors(400, 404)
  list(
    @Param('orgId') orgId: string,
    @Query() query: NotificationsQuery,
  ): Promise<NotificationDto[]> {
    return this.notifications.list(orgId, { status: query.status, limit: query.limit ?? 100 });
  }
}
