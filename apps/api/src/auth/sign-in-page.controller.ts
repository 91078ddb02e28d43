import {
  Body,
  Controller,
  Get,
  HttpException,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import { AppConfig } from '@trellis/config';
import { AuthService } from '@trellis/identity';
import { Public, SignInAttempt } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { FormBeforeSignIn } from '../access/csrf.guard';
import { clearSessionCookie, setSessionCookie } from '../access/session-cookie';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { safeReturnPath } from '../views/return-path';
import { SignInPage } from './sign-in.page';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The sign-in form and sign-out: the browser face of AuthService, which the JSON API shares. */
@ApiExcludeController()
@Controller()
@UseFilters(PageExceptionFilter)
export class SignInPageController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
    private readonly pages: Pages,
  ) {}

  @Get('sign-in')
  @Public()
  form(
    @Query('next') next: unknown,
    @Query('done') done: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): void {
    const notice =
      done === 'password'
        ? 'Your password is set. Sign in with it now.'
        : done === 'signed-out'
          ? 'You are signed out.'
          : undefined;
    this.pages.send(req, res, h(SignInPage, { next: safeReturnPath(next), notice }));
  }

  @Post('sign-in')
  @Public()
  @SignInAttempt()
  @FormBeforeSignIn()
  async signIn(
    // A body of a type no parser reads (multipart, say) arrives as nothing: an empty form.
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const form = body ?? {};
    const email = text(form.email);
    const organisation = text(form.organisation).trim() || undefined;
    const next = safeReturnPath(form.next);
    try {
      const { token, expiresAt } = await this.auth.signIn(email, text(form.password), organisation);
      setSessionCookie(res, token, expiresAt, this.config.env.COOKIE_SECURE);
      res.redirect(303, next);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      const answer = error.getResponse() as { message?: string };
      this.pages.send(
        req,
        res,
        h(SignInPage, { problem: answer.message ?? 'Sign-in failed', email, next }),
        error.getStatus(),
      );
    }
  }

  /** Ends the session server-side (not only the cookie), then returns to the sign-in form. */
  @Post('sign-out')
  @Public()
  async signOut(@Req() req: AuthedRequest, @Res() res: Response): Promise<void> {
    if (req.principal) await this.auth.signOut(req.principal);
    clearSessionCookie(res, this.config.env.COOKIE_SECURE);
    res.redirect(303, '/sign-in?done=signed-out');
  }
}
