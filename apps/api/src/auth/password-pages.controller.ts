import {
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { h } from 'preact';
import { Public, SignInAttempt } from '../access/access.decorator';
import { FormBeforeSignIn } from '../access/csrf.guard';
import type { FieldProblem } from '../views/components';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { ForgotPasswordPage } from './forgot-password.page';
import { PasswordLinksService } from './password-links.service';
import { SetPasswordPage } from './set-password.page';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Field problems of a refusal from the service (400), or null for anything else. */
function problemsOf(error: unknown): FieldProblem[] | null {
  if (!(error instanceof HttpException) || error.getStatus() !== 400) return null;
  const body = error.getResponse() as { errors?: FieldProblem[] };
  return body.errors ?? null;
}

/** "Forgot password" and "set a password from a link": the browser face of PasswordLinksService. */
@ApiExcludeController()
@Controller()
@UseFilters(PageExceptionFilter)
export class PasswordPagesController {
  constructor(
    private readonly passwords: PasswordLinksService,
    private readonly pages: Pages,
  ) {}

  @Get('forgot-password')
  @Public()
  forgotForm(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, h(ForgotPasswordPage, { sent: false }));
  }

  @Post('forgot-password')
  @Public()
  @SignInAttempt()
  @FormBeforeSignIn()
  async forgot(
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const email = text(body?.email);
    try {
      await this.passwords.forgot(email);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      this.pages.send(req, res, h(ForgotPasswordPage, { problems, email }), 400);
      return;
    }
    this.pages.send(req, res, h(ForgotPasswordPage, { sent: true }));
  }

  @Get('set-password/:token')
  @Public()
  async setForm(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const link = await this.passwords.find(token);
    this.pages.send(
      req,
      res,
      h(SetPasswordPage, { token: link ? token : null, link }),
      link ? 200 : 410,
    );
  }

  @Post('set-password/:token')
  @Public()
  @SignInAttempt()
  @FormBeforeSignIn()
  async set(
    @Param('token') token: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const password = text(body?.password);
    const link = await this.passwords.find(token);
    if (!link) {
      this.pages.send(req, res, h(SetPasswordPage, { token: null, link: null }), 410);
      return;
    }
    if (password && text(body?.confirm) !== password) {
      const problems = [{ field: 'confirm', message: 'The two passwords are not the same' }];
      this.pages.send(req, res, h(SetPasswordPage, { token, link, problems }), 400);
      return;
    }
    try {
      await this.passwords.setPassword(token, password);
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 410) {
        this.pages.send(req, res, h(SetPasswordPage, { token: null, link: null }), 410);
        return;
      }
      const problems = problemsOf(error);
      if (!problems) throw error;
      this.pages.send(req, res, h(SetPasswordPage, { token, link, problems }), 400);
      return;
    }
    res.redirect(303, '/sign-in?done=password');
  }
}
