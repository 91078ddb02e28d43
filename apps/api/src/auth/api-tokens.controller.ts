import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokensService, type Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { CreateApiTokenDto } from './auth.dto';

const HR = ['hr', 'admin'] as const;

@ApiTags('api tokens')
@ApiBearerAuth()
@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  list(@Param('orgId') orgId: string) {
    return this.tokens.list(orgId);
  }

  @Post('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary:
      'Create a long-lived token for an integration; the secret is shown only in this response',
  })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto) {
    return this.tokens.create(principal, body.name);
  }

  @Delete('api-tokens/:tokenId')
  @Allow('api_token', 'tokenId', HR)
  revoke(@Param('tokenId') tokenId: string) {
    return this.tokens.revoke(tokenId);
  }
}
