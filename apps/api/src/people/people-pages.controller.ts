import {
  Body,
  Controller,
  Get,
  HttpException,
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
import { invalid } from '@trellis/errors';
import type { Principal } from '@trellis/identity';
import type { OrganisationRoleName } from '@trellis/organisation';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { CurrentPrincipal } from '../access/principal.decorator';
import { uuidParam } from '../common/uuid';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { InviteEveryonePage } from './invite-everyone.page';
import { OrganisationRolesService } from './organisation-roles.service';
import { PeopleDirectory } from './people-directory.service';
import { PeoplePageQuery, roleParam } from './people.dto';
import { PeoplePage } from './people.page';
import { PersonActivationService } from './person-activation.service';
import { PersonPage } from './person.page';
import { SignInInvitationsService } from './sign-in-invitations.service';
import { TeamLeadershipService } from './team-leadership.service';

const HR = ['hr', 'admin'] as const;
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** What a person page says after a change went through (?done=…). */
const DONE: Record<string, string> = {
  granted: 'The role is granted.',
  revoked: 'The role is revoked.',
  'leader-added': 'They now lead the team.',
  'leader-removed': 'They no longer lead the team; they stay in it as a member.',
  deactivated: 'Deactivated. Their sessions and API tokens have stopped working.',
  reactivated: 'Reactivated. They can sign in again with their password.',
  invited: 'The email with a link to set a password is on its way.',
};

/**
 * The people pages: the browser face of the same services as the JSON routes. A change answers
 * with a redirect to the person's page and a notice; a refused change shows the page again with
 * the reason and the status of the refusal.
 */
@ApiExcludeController()
@Controller('app/organisations/:orgId')
@UseFilters(PageExceptionFilter)
export class PeoplePagesController {
  constructor(
    private readonly directory: PeopleDirectory,
    private readonly roles: OrganisationRolesService,
    private readonly leadership: TeamLeadershipService,
    private readonly activation: PersonActivationService,
    private readonly invitations: SignInInvitationsService,
    private readonly pages: Pages,
  ) {}

  @Get('people')
  @Allow('organisation', 'orgId', HR)
  async list(
    @Param('orgId') orgId: string,
    @Query() query: PeoplePageQuery,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const { invited, ...filters } = query;
    const [list, teams] = await Promise.all([
      this.directory.list(orgId, filters),
      this.directory.teams(orgId),
    ]);
    const n = invited === undefined ? null : Number(invited);
    const notice =
      n === null
        ? undefined
        : `Sign-in invitations are on their way to ${n} ${n === 1 ? 'person' : 'people'}.`;
    this.pages.send(
      req,
      res,
      h(PeoplePage, { organisationId: orgId, list, filters, teams, notice }),
    );
  }

  @Get('sign-in-invitations')
  @Allow('organisation', 'orgId', ['admin'])
  async confirmInviteEveryone(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const count = await this.invitations.invitable(orgId);
    this.pages.send(req, res, h(InviteEveryonePage, { organisationId: orgId, count }));
  }

  @Post('sign-in-invitations')
  @Allow('organisation', 'orgId', ['admin'])
  async inviteEveryone(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Res() res: Response,
  ): Promise<void> {
    const { invited } = await this.invitations.inviteEveryone(viewer, orgId);
    res.redirect(303, `${consolePaths.people(orgId)}?invited=${invited}`);
  }

  @Get('people/:personId')
  @Allow('organisation', 'orgId', HR)
  async person(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Query('done') done: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const notice = typeof done === 'string' ? DONE[done] : undefined;
    await this.render(viewer, orgId, personId, req, res, { notice });
  }

  @Post('people/:personId/roles')
  @Allow('organisation', 'orgId', ['admin'])
  async changeRole(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.change(viewer, orgId, personId, req, res, async () => {
      const role: OrganisationRoleName = roleParam.transform(text(body?.role), {
        type: 'body',
      });
      const change = text(body?.change);
      if (change === 'grant') await this.roles.grant(viewer, orgId, personId, role);
      else if (change === 'revoke') await this.roles.revoke(viewer, orgId, personId, role);
      else throw invalid({ field: 'change', message: 'must be grant or revoke' });
      return change === 'grant' ? 'granted' : 'revoked';
    });
  }

  @Post('people/:personId/leads')
  @Allow('organisation', 'orgId', HR)
  async changeLeadership(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.change(viewer, orgId, personId, req, res, async () => {
      const unitId = uuidParam('unitId').transform(text(body?.unitId), { type: 'body' });
      const change = text(body?.change);
      if (change === 'add') await this.leadership.makeLeader(viewer, orgId, personId, unitId);
      else if (change === 'remove')
        await this.leadership.removeLeader(viewer, orgId, personId, unitId);
      else throw invalid({ field: 'change', message: 'must be add or remove' });
      return change === 'add' ? 'leader-added' : 'leader-removed';
    });
  }

  @Post('people/:personId/activation')
  @Allow('organisation', 'orgId', HR)
  async changeActivation(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.change(viewer, orgId, personId, req, res, async () => {
      const change = text(body?.change);
      if (change === 'deactivate') await this.activation.deactivate(viewer, orgId, personId);
      else if (change === 'reactivate') await this.activation.reactivate(viewer, orgId, personId);
      else throw invalid({ field: 'change', message: 'must be deactivate or reactivate' });
      return change === 'deactivate' ? 'deactivated' : 'reactivated';
    });
  }

  @Post('people/:personId/sign-in-invitation')
  @Allow('organisation', 'orgId', HR)
  async invite(
    @CurrentPrincipal() viewer: Principal,
    @Param('orgId') orgId: string,
    @Param('personId', uuidParam('personId')) personId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    await this.change(viewer, orgId, personId, req, res, async () => {
      await this.invitations.inviteOne(viewer, orgId, personId);
      return 'invited';
    });
  }

  /** Runs a change; then the person's page with a notice, or again with the refusal. */
  private async change(
    viewer: Principal,
    orgId: string,
    personId: string,
    req: AuthedRequest,
    res: Response,
    work: () => Promise<string>,
  ): Promise<void> {
    let done: string;
    try {
      done = await work();
    } catch (error) {
      const status = error instanceof HttpException ? error.getStatus() : 500;
      if (status !== 400 && status !== 403 && status !== 409) throw error;
      const body = (error as HttpException).getResponse() as {
        message?: string;
        errors?: { message: string }[];
      };
      const problem = body.errors?.[0]?.message ?? body.message;
      await this.render(viewer, orgId, personId, req, res, { problem }, status);
      return;
    }
    res.redirect(303, `${consolePaths.person(orgId, personId)}?done=${done}`);
  }

  private async render(
    viewer: Principal,
    orgId: string,
    personId: string,
    req: AuthedRequest,
    res: Response,
    words: { notice?: string; problem?: string },
    status = 200,
  ): Promise<void> {
    const [person, teams] = await Promise.all([
      this.directory.detail(orgId, personId, viewer),
      this.directory.teams(orgId),
    ]);
    this.pages.send(req, res, h(PersonPage, { person, teams, ...words }), status);
  }
}
