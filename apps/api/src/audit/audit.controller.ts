import { Controller, Get, Param, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuditService } from '@trellis/audit';
import { Allow } from '../access/access.decorator';
import { AuditPageDto, AuditQuery } from './audit.dto';
import { Audited } from './audited.decorator';

/** The audit log is read here and nowhere written to: there is no route that edits it. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('organisations/:orgId/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @Audited('audit.view', { kind: 'organisation', param: 'orgId' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiBadRequestResponse({ description: 'A filter is invalid; each is named' })
  @ApiUnauthorizedResponse({ description: 'Not signed in' })
  @ApiForbiddenResponse({ description: 'Not HR or an admin of the organisation' })
  @ApiNotFoundResponse({ description: 'No such organisation (or another one)' })
  @ApiOperation({
    summary: 'Who viewed, exported or changed what, and when; newest first, filtered',
  })
  list(@Param('orgId') orgId: string, @Query() query: AuditQuery): Promise<AuditPageDto> {
    return this.audit.list(orgId, { ...query, limit: query.limit ?? 100 });
  }
}
