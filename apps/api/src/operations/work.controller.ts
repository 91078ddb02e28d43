import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkHealthService } from '@trellis/jobs';
import { Allow } from '../access/access.decorator';

/** Background work that failed or is still due, for the organisation's admins. */
@ApiTags('operations')
@ApiBearerAuth()
@Controller('organisations/:orgId/work')
export class WorkController {
  constructor(private readonly work: WorkHealthService) {}

  @Get()
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary:
      'Jobs that failed for good with their last error, work PostgreSQL says is due and not done, and queue counts',
  })
  overview(@Param('orgId') orgId: string) {
    return this.work.overview(orgId);
  }
}
