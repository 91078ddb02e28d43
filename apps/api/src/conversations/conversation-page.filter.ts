import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { h } from 'preact';
import { DomainError } from '@trellis/errors';
import { statusOf } from '../common/domain-errors';
import { PulseProblemPage, pulseProblemFor } from '../surveys/pulse-problem.page';
import { Pages } from '../views/pages';
import { ConversationNotFoundPage } from './conversation.page';

/**
 * The conversation routes answer refusals with anonymous pages of their own, as the answering
 * routes do; a failure is logged by its kind only (a database error carries the message's text).
 */
@Catch()
export class ConversationPageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ConversationPageController');

  constructor(private readonly pages: Pages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status =
      exception instanceof DomainError
        ? statusOf(exception)
        : exception instanceof HttpException
          ? exception.getStatus()
          : 500;
    const problem = pulseProblemFor(status);
    if (problem === 'failed') {
      const e = exception as { name?: unknown; code?: unknown; driverError?: { code?: unknown } };
      this.logger.error(
        { error: { name: e?.name, status, code: e?.driverError?.code ?? e?.code } },
        'conversation page failed',
      );
    }
    if (res.headersSent) return;
    const page =
      status === 404 ? h(ConversationNotFoundPage, {}) : h(PulseProblemPage, { problem });
    this.pages.sendAnonymous(res, page, status >= 400 && status < 600 ? status : 500);
  }
}
