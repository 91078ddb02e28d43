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
import { Pages } from '../views/pages';
import { PulseProblemPage, pulseProblemFor } from './pulse-problem.page';

/**
 * The answering routes answer every refusal and failure with a page of their own: a link not
 * valid (404), already used (409), a closed round (410), and so on. Not the console's problem
 * page, which links to sign-in: a team member has no account. A failure is logged by its kind
 * only, since a database error carries the query's parameters (the answers).
 */
@Catch()
export class PulsePageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PulsePageController');

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
        'answering page failed',
      );
    }
    if (res.headersSent) return;
    const retryAfter = res.getHeader('retry-after');
    if (retryAfter !== undefined) res.setHeader('retry-after', retryAfter);
    this.pages.sendAnonymous(
      res,
      h(PulseProblemPage, { problem }),
      status >= 400 && status < 600 ? status : 500,
    );
  }
}
