import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { actorOf } from '@trellis/audit';
import { notFound } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import { Allow } from '../access/access.decorator';
import { CurrentPrincipal } from '../access/principal.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import {
  OrganisationSettingsDto,
  SETTINGS_GROUP_PARAM,
  WebhookTestResultDto,
} from './settings.dto';
import {
  isSettingsGroup,
  SettingsService,
  type OrganisationSettingsView,
  type WebhookTestResult,
} from './settings.service';

/**
 * The organisation's anonymity minimums, flag thresholds and who hears about new flags: the
 * defaults unless changed here. A thin adapter over SettingsService, which the settings page
 * shares: validation, audit entries and re-deriving results happen there, once.
 */
@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({ summary: 'The settings in force, their defaults, and which differ' })
  @ApiOkResponse({ type: OrganisationSettingsDto })
  @ApiErrors(400, 404)
  get(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganisationSettingsView> {
    return this.settings.get(orgId, principal);
  }

  @Put()
  @Allow('organisation', 'orgId', ['admin'])
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
  @ApiOperation({
    summary:
      'Change the groups sent (others keep their values); a change of anonymity minimums or thresholds re-derives results',
  })
  @ApiOkResponse({ type: OrganisationSettingsDto, description: 'The settings now in force' })
  @ApiErrors(400, 404)
  put(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
  ): Promise<OrganisationSettingsView> {
    return this.settings.update(orgId, actorOf(principal), body);
  }

  @Delete(':group')
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({ summary: "Put one group of settings back to the model's defaults" })
  @ApiParam(SETTINGS_GROUP_PARAM)
  @ApiOkResponse({ type: OrganisationSettingsDto, description: 'The settings now in force' })
  @ApiErrors(400, 404)
  reset(
    @Param('orgId') orgId: string,
    @Param('group') group: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OrganisationSettingsView> {
    if (!isSettingsGroup(group)) throw notFound('settings group');
    return this.settings.reset(orgId, actorOf(principal), group);
  }

  @Post('webhook-test')
  @HttpCode(200)
  @Allow('organisation', 'orgId', ['admin'])
  @ApiOperation({
    summary: 'Send a test message to the saved webhook and say what the receiver answered',
  })
  @ApiOkResponse({ type: WebhookTestResultDto })
  @ApiErrors(400, 404)
  testWebhook(
    @Param('orgId') orgId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<WebhookTestResult> {
    return this.settings.testWebhook(orgId, actorOf(principal));
  }
}
