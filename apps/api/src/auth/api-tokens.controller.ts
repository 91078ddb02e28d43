import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { actorOf } from '@trellis/audit';
import { ApiTokensService, type Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { CreateApiTokenDto } from './auth.dto';

const HR = ['hr', 'admin'] as const;

class TokenOwnerDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class ApiTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '…x9Qa', description: 'The last characters of the secret' })
  tokenHint!: string;
  @ApiProperty({ type: TokenOwnerDto, description: 'Who made it; the token acts as them' })
  createdBy!: TokenOwnerDto;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: Date, nullable: true, description: 'When it last authenticated a call' })
  lastUsedAt!: Date | null;
  @ApiProperty({ type: Date, nullable: true }) revokedAt!: Date | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiPropertyOptional({ description: 'The secret: in this answer only, never again' })
  token!: string;
}

/** A thin adapter over ApiTokensService, which the tokens page shares. */
@ApiTags('api tokens')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Not signed in' })
@ApiForbiddenResponse({ description: 'Not allowed for this role' })
@ApiNotFoundResponse({ description: 'No such organisation or token (or another organisation’s)' })
@Controller()
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({ summary: 'The organisation’s API tokens with their last use, newest first' })
  @ApiOkResponse({ type: [ApiTokenDto] })
  list(@Param('orgId') orgId: string) {
    return this.tokens.list(orgId);
  }

  @Post('organisations/:orgId/api-tokens')
  @Allow('organisation', 'orgId', HR)
  @ApiOperation({
    summary:
      'Create a long-lived token for an integration; the secret is shown only in this response',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  @ApiBadRequestResponse({ description: 'The name is missing or too long' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateApiTokenDto) {
    return this.tokens.create(principal, body.name);
  }

  @Delete('api-tokens/:tokenId')
  @Allow('api_token', 'tokenId', HR)
  @ApiOperation({ summary: 'Revoke a token: it stops working at once' })
  @ApiOkResponse({ type: ApiTokenDto })
  revoke(@Param('tokenId') tokenId: string, @CurrentPrincipal() principal: Principal) {
    return this.tokens.revoke(tokenId, actorOf(principal));
  }
}
