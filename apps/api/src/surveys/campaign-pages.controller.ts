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
import { DateTime, IANAZone } from 'luxon';
import { h } from 'preact';
import type { FieldProblem } from '@trellis/errors';
import { UnitsService } from '@trellis/organisation';
import {
  CampaignsService,
  InstrumentsService,
  type CampaignDetail,
  type CampaignScope,
  type Period,
} from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import {
  defaultValues,
  formValues,
  inputOf,
  readable,
  valuesOf,
  type CampaignFormValues,
} from './campaign-form';
import { CampaignFormPage } from './campaign-form.page';
import { CampaignsPage } from './campaigns.page';
import { campaignScope } from './campaigns.controller';

const ANYONE_RESPONSIBLE = ['hr', 'admin', 'leader'] as const;

const DONE: Record<string, string> = {
  created: 'The campaign is started. Its first round opens on the first date below.',
  saved: 'Changes saved. They apply from the next round; an open round keeps its schedule.',
  paused: 'The campaign is paused: no new round opens until you resume it.',
  resumed: 'The campaign is running again: the next round opens on its schedule.',
};

/** A zone the viewer asked to see times in, if it is one. */
function zoneOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() && IANAZone.isValidZone(value.trim())
    ? value.trim()
    : undefined;
}

/** The field problems of a refusal (a 400 from invalid()), or undefined for anything else. */
function problemsOf(error: unknown): FieldProblem[] | undefined {
  if (!(error instanceof BadRequestException)) return undefined;
  const body = error.getResponse() as { errors?: FieldProblem[] };
  return Array.isArray(body.errors) ? body.errors : undefined;
}

/**
 * The campaign pages: the browser face of CampaignsService, which the JSON routes share. HR and
 * admins for any teams; a leader for campaigns over teams they lead, picking among those only.
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class CampaignPagesController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly instruments: InstrumentsService,
    private readonly units: UnitsService,
    private readonly pages: Pages,
  ) {}

  @Get('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  async list(
    @Param('orgId') orgId: string,
    @Query('done') done: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const scope = this.scope(req);
    const [campaigns, instruments, units] = await Promise.all([
      this.campaigns.overview(orgId, scope),
      this.instruments.list(orgId),
      this.units.list(orgId, { kind: 'organisation' }),
    ]);
    this.pages.send(
      req,
      res,
      h(CampaignsPage, {
        orgId,
        campaigns,
        instrumentNames: Object.fromEntries(instruments.map((i) => [i.id, i.name])),
        teamNames: Object.fromEntries(units.map((u) => [u.id, u.name])),
        leaderOnly: scope.kind === 'leader',
        notice: typeof done === 'string' ? DONE[done] : undefined,
      }),
    );
  }

  @Get('organisations/:orgId/campaigns/new')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  async newForm(
    @Param('orgId') orgId: string,
    @Query('zone') zone: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const values = defaultValues(DateTime.utc().plus({ days: 1 }).toISODate());
    values.instrumentId = await this.instruments.builtInId();
    await this.render(req, res, orgId, { values, viewerZone: zoneOf(zone) });
  }

  @Post('organisations/:orgId/campaigns')
  @Allow('organisation', 'orgId', ANYONE_RESPONSIBLE)
  async create(
    @Param('orgId') orgId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const values = formValues(body);
    const viewerZone = zoneOf(body?.zone);
    try {
      if (body?.intent === 'preview') {
        const preview = this.campaigns.preview(inputOf(values));
        await this.render(req, res, orgId, { values, preview, viewerZone });
        return;
      }
      const created = await this.campaigns.start(
        orgId,
        req.principal!,
        this.scope(req),
        inputOf(values),
      );
      res.redirect(303, `${consolePaths.campaign(created.id)}?done=created`);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      await this.render(req, res, orgId, { values, problems, viewerZone }, 400);
    }
  }

  @Get('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  async show(
    @Param('campaignId') campaignId: string,
    @Query('done') done: unknown,
    @Query('zone') zone: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.campaigns.detail(campaignId);
    await this.render(req, res, campaign.organisationId, {
      campaign,
      values: valuesOf(campaign),
      preview: campaign.active ? campaign.nextRounds : undefined,
      viewerZone: zoneOf(zone),
      notice: typeof done === 'string' ? DONE[done] : undefined,
    });
  }

  @Post('campaigns/:campaignId')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  async save(
    @Param('campaignId') campaignId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const campaign = await this.campaigns.detail(campaignId);
    const values = formValues(body);
    const viewerZone = zoneOf(body?.zone);
    // The instrument is fixed for a campaign; the edit form does not carry it.
    const changes = { ...inputOf(values), instrumentId: undefined };
    try {
      if (body?.intent === 'preview') {
        const preview = this.campaigns.preview(changes);
        await this.render(req, res, campaign.organisationId, {
          campaign,
          values,
          preview,
          viewerZone,
        });
        return;
      }
      await this.campaigns.change(campaignId, req.principal!, this.scope(req), changes);
      res.redirect(303, `${consolePaths.campaign(campaignId)}?done=saved`);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      await this.render(
        req,
        res,
        campaign.organisationId,
        { campaign, values, problems, viewerZone },
        400,
      );
    }
  }

  @Post('campaigns/:campaignId/pause')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  async pause(
    @Param('campaignId') campaignId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.campaigns.change(campaignId, req.principal!, this.scope(req), { active: false });
    res.redirect(303, `${consolePaths.campaign(campaignId)}?done=paused`);
  }

  @Post('campaigns/:campaignId/resume')
  @Allow('campaign', 'campaignId', ANYONE_RESPONSIBLE)
  async resume(
    @Param('campaignId') campaignId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.campaigns.change(campaignId, req.principal!, this.scope(req), { active: true });
    res.redirect(303, `${consolePaths.campaign(campaignId)}?done=resumed`);
  }

  private scope(req: AuthedRequest): CampaignScope {
    return campaignScope(req.accessScope, req.principal!);
  }

  private async render(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    props: {
      campaign?: CampaignDetail;
      values: CampaignFormValues;
      problems?: FieldProblem[];
      preview?: Period[];
      viewerZone?: string;
      notice?: string;
    },
    status = 200,
  ): Promise<void> {
    const scope = this.scope(req);
    const [instruments, units] = await Promise.all([
      this.instruments.list(orgId),
      this.units.list(orgId, scope),
    ]);
    this.pages.send(
      req,
      res,
      h(CampaignFormPage, {
        orgId,
        instruments,
        units,
        ...props,
        problems: readable(props.problems ?? []),
      }),
      status,
    );
  }
}
