import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { actorOf } from '@trellis/audit';
import { notFound, type FieldProblem } from '@trellis/errors';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { settingsFromForm, typedValues } from './settings-form';
import { SettingsPage, type SettingsPageProps } from './settings.page';
import { isSettingsGroup, SettingsService, type SettingsGroup } from './settings.service';

const SAVED: Record<SettingsGroup, string> = {
  anonymity:
    'Anonymity minimums saved. Closed rounds’ results are being recomputed under them; reports show them again when that is done.',
  flags: 'Flag thresholds saved. Closed rounds’ flags are being recomputed with them.',
  notifications: 'Notifications saved.',
};
const RESET: Record<SettingsGroup, string> = {
  anonymity:
    'Anonymity minimums are back to the defaults. Closed rounds’ results are being recomputed under them.',
  flags: 'Flag thresholds are back to the defaults. Closed rounds’ flags are being recomputed.',
  notifications: 'Notifications are back to the defaults: no webhook, HR not emailed.',
};

/** The settings page: the browser face of SettingsService, which the JSON API shares. */
@ApiExcludeController()
@Controller('app/organisations/:orgId/settings')
@UseFilters(PageExceptionFilter)
export class SettingsPageController {
  constructor(
    private readonly settings: SettingsService,
    private readonly pages: Pages,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async show(
    @Param('orgId') orgId: string,
    @Query('saved') saved: unknown,
    @Query('reset') reset: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const notice = isSettingsGroup(saved)
      ? { group: saved, text: SAVED[saved] }
      : isSettingsGroup(reset)
        ? { group: reset, text: RESET[reset] }
        : undefined;
    await this.render(req, res, orgId, { notice });
  }

  /** Declared before `:group`, which would otherwise take "webhook-test" for a group. */
  @Post('webhook-test')
  @Allow('organisation', 'orgId', ['admin'])
  async testWebhook(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    try {
      const webhookTest = await this.settings.testWebhook(orgId, actorOf(req.principal!));
      await this.render(req, res, orgId, { webhookTest });
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      await this.render(
        req,
        res,
        orgId,
        { refused: { group: 'notifications', problems, typed: {} } },
        400,
      );
    }
  }

  @Post(':group')
  @Allow('organisation', 'orgId', ['admin'])
  async save(
    @Param('orgId') orgId: string,
    @Param('group') group: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    if (!isSettingsGroup(group)) throw notFound('settings group');
    const form = body ?? {};
    try {
      await this.settings.update(orgId, actorOf(req.principal!), settingsFromForm(group, form));
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      await this.render(
        req,
        res,
        orgId,
        { refused: { group, problems, typed: typedValues(form) } },
        400,
      );
      return;
    }
    res.redirect(303, `${consolePaths.settings(orgId)}?saved=${group}#${group}`);
  }

  @Post(':group/reset')
  @Allow('organisation', 'orgId', ['admin'])
  async reset(
    @Param('orgId') orgId: string,
    @Param('group') group: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    if (!isSettingsGroup(group)) throw notFound('settings group');
    await this.settings.reset(orgId, actorOf(req.principal!), group);
    res.redirect(303, `${consolePaths.settings(orgId)}?reset=${group}#${group}`);
  }

  private async render(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    props: Omit<SettingsPageProps, 'orgId' | 'settings'>,
    status = 200,
  ): Promise<void> {
    const settings = await this.settings.get(orgId, req.principal!);
    this.pages.send(req, res, h(SettingsPage, { orgId, settings, ...props }), status);
  }
}

/** The field problems of a refusal (a 400 from invalid()), or undefined for anything else. */
function problemsOf(error: unknown): FieldProblem[] | undefined {
  if (!(error instanceof BadRequestException)) return undefined;
  const body = error.getResponse() as { errors?: FieldProblem[] };
  return Array.isArray(body.errors) ? body.errors : undefined;
}
