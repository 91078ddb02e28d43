import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkHealthService } from '@trellis/jobs';
import { Allow } from '../access/access.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { WorkHealthDto } from './operations.response';

/** Background work that failed or is still due, for the organisation's admins. */
@ApiTags('operations')
@ApiSignedIn()
@Controller('organisations/:orgId/work')
export class WorkController {
  constructor(private readonly work: WorkHealthService) {}

  @Get()
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary:
      'Jobs that failed for good with their last error, work PostgreSQL says is due and not done, and queue counts',
  })
  @ApiOkResponse({ type: WorkHealthDto })
  @ApiErrors(400, 404)
  overview(@Param('orgId') orgId: string): Promise<WorkHealthDto> {
    return this.work.overview(orgId);
  }
}
