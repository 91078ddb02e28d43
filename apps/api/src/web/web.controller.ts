import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  HttpException,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AppConfig } from '@trellis/config';
import { AuthService } from '@trellis/identity';
import { UnitsService, type UnitView } from '@trellis/organisation';
import { Public, SignInAttempt } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie';
import { esc, page } from './html';

interface SignInForm {
  email?: unknown;
  password?: unknown;
  organisation?: unknown;
}

function signInPage(message?: string, email = ''): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<div class="card">
  <p class="muted">For team leaders, HR and administrators. Team members answer surveys from their personal link and never need an account.</p>
  ${message ? `<p class="error" role="alert" id="sign-in-error">${esc(message)}</p>` : ''}
  <form method="post" action="/sign-in" ${message ? 'aria-describedby="sign-in-error"' : ''}>
    <label for="email">Email</label>
    <input id="email" name="email" type="email" autocomplete="username" required value="${esc(email)}">
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <label for="organisation">Organisation <span class="muted">(only if you belong to several)</span></label>
    <input id="organisation" name="organisation" type="text" autocomplete="organization">
    <button type="submit">Sign in</button>
  </form>
</div>`,
  );
}

function unitList(units: UnitView[]): string {
  if (!units.length)
    return '<p>You do not lead any team yet. Ask HR to add you as a team leader.</p>';
  return `<ul class="units">${units
    .map(
      (u) =>
        `<li><span><span class="kind">${esc(u.kind)}</span><br><a href="/app/units/${esc(u.id)}/report">${esc(u.name)}</a></span><span class="muted">${u.memberCount} member${u.memberCount === 1 ? '' : 's'}</span></li>`,
    )
    .join('')}</ul>`;
}

/** Server-rendered pages; they work without JavaScript and read the same services as the API. */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    private readonly auth: AuthService,
    private readonly units: UnitsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  root(@Req() req: AuthedRequest, @Res() res: Response): void {
    res.redirect(303, req.principal ? '/app' : '/sign-in');
  }

  @Get('sign-in')
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  signInForm(): string {
    return signInPage();
  }

  @Post('sign-in')
  @Public()
  @SignInAttempt()
  @HttpCode(200)
  async signIn(@Body() body: SignInForm | undefined, @Res() res: Response): Promise<void> {
    // A body of a type no parser reads (multipart, say) arrives as nothing: an empty form.
    const form = body ?? {};
    const email = typeof form.email === 'string' ? form.email : '';
    const password = typeof form.password === 'string' ? form.password : '';
    const organisation =
      typeof form.organisation === 'string' && form.organisation.trim()
        ? form.organisation.trim()
        : undefined;
    try {
      const { token, expiresAt } = await this.auth.signIn(email, password, organisation);
      setSessionCookie(res, token, expiresAt, this.config.env.COOKIE_SECURE);
      res.redirect(303, '/app');
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const body = error.getResponse() as { message?: string };
      res
        .status(error.getStatus())
        .type('html')
        .send(signInPage(body.message ?? 'Sign-in failed', email));
    }
  }

  @Post('sign-out')
  @Public()
  async signOut(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (req.principal) await this.auth.signOut(req.principal);
    clearSessionCookie(res, this.config.env.COOKIE_SECURE);
    res.redirect(303, '/sign-in');
  }

  /** "My teams": HR and admins see the organisation, a leader the teams they lead and below. */
  @Get('app')
  @Public()
  async home(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    const p = req.principal;
    if (!p) return res.redirect(303, '/sign-in');
    const wide = p.roles.length > 0;
    const units = await this.units.list(
      p.organisationId,
      wide ? { kind: 'organisation' } : { kind: 'leader', personId: p.personId },
    );
    const visible = wide ? units : units.filter((u) => u.kind !== 'organisation');
    res
      .type('html')
      .send(
        page(
          wide ? 'Organisation' : 'My teams',
          `<h1>${wide ? 'Your organisation' : 'My teams'}</h1>${wide ? `<p><a href="/app/organisations/${esc(p.organisationId)}">Organisation overview: heatmap and participation</a></p>` : ''}<section class="card" aria-label="${wide ? 'Units' : 'Teams you lead'}">${unitList(visible)}</section>`,
          p.name,
        ),
      );
  }
}
