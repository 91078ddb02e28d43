import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { actorOf } from '@trellis/audit';
import { notFound } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import {
  OrganisationSettingsDto,
  SETTINGS_GROUP_PARAM,
  WebhookTestResultDto,
} from './settings.dto';
import { isSettingsGroup, SettingsService } from './settings.service';

/**
 * The organisation's anonymity minimums, flag thresholds and who hears about new flags: the
 * defaults unless changed here. A thin adapter over SettingsService, which the settings page
 * shares.
 */
@ApiTags('organisation')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Not signed in' })
@ApiForbiddenResponse({ description: 'Not allowed for this role' })
@ApiNotFoundResponse({ description: 'No such organisation (or another organisation’s)' })
@Controller('organisations/:orgId/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({ summary: 'The settings in force, their defaults and which differ' })
  @ApiOkResponse({ type: OrganisationSettingsDto })
  get(@Param('orgId') orgId: string, @CurrentPrincipal() principal: Principal) {
    return this.settings.get(orgId, principal);
  }

  @Put()
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary:
      'Change the groups sent (anonymity, flags, notifications); groups left out keep their values',
  })
  @ApiOkResponse({ type: OrganisationSettingsDto })
  @ApiBadRequestResponse({ description: 'A value is refused; each problem names its field' })
  @ApiBody({
    schema: {
      type: 'object',
      example: {
        anonymity: { minGroupSize: 5, minCommentGroup: 10 },
        flags: { micromanagement: { controlAtLeast: 3.5 } },
        notifications: {
          notifyHr: true,
          webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
        },
      },
    },
  })
  put(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ) {
    return this.settings.update(orgId, actorOf(principal), body);
  }

  @Delete(':group')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: 'Put one group of settings back to the model’s defaults' })
  @ApiParam(SETTINGS_GROUP_PARAM)
  @ApiOkResponse({ type: OrganisationSettingsDto })
  reset(
    @Param('orgId') orgId: string,
    @Param('group') group: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    if (!isSettingsGroup(group)) throw notFound('settings group');
    return this.settings.reset(orgId, actorOf(principal), group);
  }

  @Post('webhook-test')
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary: 'Send a test message to the saved webhook and report what the receiver answered',
  })
  @ApiOkResponse({ type: WebhookTestResultDto })
  @ApiBadRequestResponse({ description: 'No webhook address is saved' })
  testWebhook(@Param('orgId') orgId: string, @CurrentPrincipal() principal: Principal) {
    return this.settings.testWebhook(orgId, actorOf(principal));
  }
}
