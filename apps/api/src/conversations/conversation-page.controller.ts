import {
  Controller,
  ForbiddenException,
  Get,
  Param,
  Post,
  Req,
  Res,
  UnsupportedMediaTypeException,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { h } from 'preact';
import { DomainError, InvalidInput } from '@trellis/errors';
import { AppConfig } from '@trellis/config';
import { ConversationsService } from '@trellis/reporting';
import { Public } from '../access/access.decorator';
import { LinkCredential } from '../access/csrf.guard';
import { Pages } from '../views/pages';
import { ConversationPageExceptionFilter } from './conversation-page.filter';
import { ConversationPage, LinkMailedPage } from './conversation.page';

/**
 * The link is the credential, so a forger on another site has nothing to borrow; still, a form
 * sent from another site is refused (Sec-Fetch-Site or a foreign Origin): it is not the author.
 */
function refuseCrossSite(req: Request, publicOrigin: string): void {
  const origin = req.headers.origin;
  let foreign = req.headers['sec-fetch-site'] === 'cross-site';
  if (origin !== undefined && origin !== 'null' && origin !== publicOrigin) {
    try {
      foreign ||= new URL(origin).host !== req.headers.host;
    } catch {
      foreign = true;
    }
  }
  if (foreign) {
    throw new ForbiddenException({ statusCode: 403, message: 'origin: sent from another site' });
  }
}

function formOf(req: Request): Record<string, unknown> {
  if (req.is('application/x-www-form-urlencoded') === false) {
    throw new UnsupportedMediaTypeException({
      statusCode: 415,
      message: 'content-type: must be application/x-www-form-urlencoded',
    });
  }
  return (req.body as Record<string, unknown> | undefined) ?? {};
}

/**
 * The author's conversation page behind their private link (`/c/<token>`): their comments of the
 * round, the replies by role, and a form to answer. The link is the credential (@LinkCredential:
 * no cookie, no CSRF token; a cross-site Origin is refused); the log masks the path segment.
 */
@ApiExcludeController()
@Controller('c/:token')
@UseFilters(ConversationPageExceptionFilter)
export class ConversationPageController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly pages: Pages,
    private readonly config: AppConfig,
  ) {}

  private form(req: Request): Record<string, unknown> {
    refuseCrossSite(req, new URL(this.config.env.PUBLIC_URL).origin);
    return formOf(req);
  }

  @Get()
  @Public()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const view = await this.conversations.authorView(token);
    this.pages.sendAnonymous(res, h(ConversationPage, { token, view }));
  }

  @Post()
  @LinkCredential()
  @Public()
  async answer(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = this.form(req);
    try {
      await this.conversations.answer(token, { comment: form.comment, text: form.text });
      const view = await this.conversations.authorView(token);
      this.pages.sendAnonymous(res, h(ConversationPage, { token, view, sent: true }));
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      const view = await this.conversations.authorView(token);
      const state = {
        comment: typeof form.comment === 'string' ? form.comment : '',
        text: typeof form.text === 'string' ? form.text : '',
        problems: [...error.problems],
      };
      this.pages.sendAnonymous(res, h(ConversationPage, { token, view, state }), 400);
    }
  }

  /** Mails the link to the address typed on the thank-you page, in this request, keeping nothing. */
  @Post('email')
  @LinkCredential()
  @Public()
  async email(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const form = this.form(req);
    try {
      await this.conversations.emailLink(token, { email: form.email, proof: form.proof });
      this.pages.sendAnonymous(res, h(LinkMailedPage, { failed: undefined }));
    } catch (error) {
      if (error instanceof InvalidInput) {
        this.pages.sendAnonymous(
          res,
          h(LinkMailedPage, { failed: 'That is not an email address. Go back and check it.' }),
          400,
        );
        return;
      }
      if (error instanceof DomainError && error.code === 'unavailable') {
        this.pages.sendAnonymous(
          res,
          h(LinkMailedPage, { failed: error.message.replace(/^email: /, '') }),
          503,
        );
        return;
      }
      throw error;
    }
  }
}
