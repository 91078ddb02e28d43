import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@trellis/config';
import { anonymitySettings, organisationAnonymity } from '@trellis/anonymity';
import { invalid, type FieldProblem } from '@trellis/errors';
import { notificationSettings, notificationSettingsOrDefault } from '@trellis/notifications';
import { OrganisationsService } from '@trellis/organisation';
import { DEFAULT_FLAG_THRESHOLDS, flagThresholds } from '@trellis/scoring';
import { ResultsRederivation } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import { ApiErrors, ApiSignedIn } from '../common/openapi';
import { SettingsDto } from './organisation.response';

function effective(settings: Record<string, unknown>): SettingsDto {
  const flags = flagThresholds(settings.flags);
  return {
    anonymity: organisationAnonymity(settings),
    flags: flags.ok ? flags.value : DEFAULT_FLAG_THRESHOLDS,
    notifications: notificationSettingsOrDefault(settings.notifications),
  };
}

/**
 * The organisation's anonymity minimums, flag thresholds and who hears about new flags: the
 * defaults unless changed here. Validated by the same pure modules that apply them.
 */
@ApiTags('organisation')
@ApiSignedIn()
@Controller('organisations/:orgId/settings')
export class SettingsController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly rederivation: ResultsRederivation,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  @ApiOperation({ summary: 'The settings in force: what was set, the defaults for the rest' })
  @ApiOkResponse({ type: SettingsDto })
  @ApiErrors(400, 404)
  async get(@Param('orgId') orgId: string): Promise<SettingsDto> {
    return effective(await this.organisations.settings(orgId));
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
      'Replace the settings; a change of anonymity minimums or thresholds re-derives results',
  })
  @ApiOkResponse({ type: SettingsDto, description: 'The settings now in force' })
  @ApiErrors(400, 404)
  async put(@Param('orgId') orgId: string, @Body() body: unknown): Promise<SettingsDto> {
    const problems: FieldProblem[] = [];
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid({ field: 'body', message: 'must be an object' });
    const input = body as Record<string, unknown>;
    for (const key of Object.keys(input)) {
      if (key !== 'anonymity' && key !== 'flags' && key !== 'notifications')
        problems.push({
          field: key,
          message: 'is not a setting (known: anonymity, flags, notifications)',
        });
    }
    const anonymity = anonymitySettings(input.anonymity ?? {});
    if (!anonymity.ok)
      problems.push(...anonymity.problems.map((p) => ({ ...p, field: `anonymity.${p.field}` })));
    const flags = flagThresholds(input.flags ?? {});
    if (!flags.ok) problems.push(...flags.problems);
    const notifications = notificationSettings(input.notifications, {
      allowPrivate: this.config.env.WEBHOOK_ALLOW_PRIVATE,
    });
    if (!notifications.ok) problems.push(...notifications.problems);
    if (problems.length || !anonymity.ok || !flags.ok || !notifications.ok) throw invalid(problems);
    const stored = {
      ...(await this.organisations.settings(orgId)),
      anonymity: anonymity.value,
      flags: input.flags ?? {},
      notifications: notifications.value,
    };
    await this.organisations.saveSettings(orgId, stored);
    // A change of k or the thresholds makes results stale; re-deriving them starts now.
    await this.rederivation.start(orgId);
    return effective(stored);
  }
}
