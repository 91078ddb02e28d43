import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ApiTokensService, type Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { CreateApiTokenDto } from './auth.dto';
import { ApiTokenDto, CreatedApiTokenDto } from './auth.response';

const HR = ['hr', 'admin'] as const;

@ApiTags('api tokens')
@ApiSignedIn()
@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary: "The organisation's API tokens, revoked ones included, with their last use",
  })
  @ApiOkResponse({ type: [ApiTokenDto] })
  @ApiErrors(400, 404)
  list(@Param('orgId') orgId: string): Promise<ApiTokenDto[]> {
    return this.tokens.list(orgId);
  }

  @Post('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary:
      'Create a long-lived token for an integration; the secret is shown only in this response',
  })
  @ApiParam({ name: 'orgId', description: "The caller's organisation" })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiErrors(400, 404)
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateApiTokenDto,
  ): Promise<CreatedApiTokenDto> {
    return this.tokens.create(principal, body.name);
  }

  @Delete('api-tokens/:tokenId')
  @Allow('api_token', 'tokenId', HR)
  @ApiOperation({ summary: 'Revoke a token: it stops working at once' })
  @ApiOkResponse({ type: ApiTokenDto, description: 'The token as it now is, revoked' })
  @ApiErrors(400, 404)
  revoke(@Param('tokenId') tokenId: string): Promise<ApiTokenDto> {
    return this.tokens.revoke(tokenId);
  }
}
