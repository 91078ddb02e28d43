import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@trellis/audit';
import { Allow } from '../access/access.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { AuditQuery } from './audit.dto';
import { AuditPageDto } from './audit.response';
import { Audited } from './audited.decorator';

/** The audit log is read here and nowhere written to: there is no route that edits it. */
@ApiTags('audit')
@ApiSignedIn()
@Controller('organisations/:orgId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('audit.view', { kind: 'organisation', param: 'orgId' })
  @ApiOperation({ summary: 'Who exported or viewed what, and when; newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(400, 404)
  list(@Param('orgId') orgId: string, @Query() query: AuditQuery): Promise<AuditPageDto> {
    return this.audit.list(orgId, {
      limit: query.limit ?? 100,
      before: query.before,
      action: query.action,
    });
  }
}
