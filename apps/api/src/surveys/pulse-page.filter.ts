import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { Response } from 'express';
import { h, type JSX } from 'preact';
import { DomainError } from '@trellis/errors';
import { statusOf } from '../common/domain-errors';
import { Pages } from '../views/pages';
import { PulseProblemPage, pulseProblemFor, type PulseProblem } from './pulse-problem.page';

/**
 * How the link routes (answering, and an author's conversation) answer a refusal or failure: a
 * page of their own, not the console's problem page, which links to sign-in (a team member has
 * no account). A failure is logged by its kind only, since a database error carries the query's
 * parameters (the answers, a comment).
 */
export function answerAnonymously(
  exception: unknown,
  host: ArgumentsHost,
  pages: Pages,
  failed: { logger: Logger; message: string },
  pageFor: (status: number, problem: PulseProblem) => JSX.Element = (_, problem) =>
    h(PulseProblemPage, { problem }),
): void {
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
    failed.logger.error(
      { error: { name: e?.name, status, code: e?.driverError?.code ?? e?.code } },
      failed.message,
    );
  }
  if (res.headersSent) return;
  pages.sendAnonymous(res, pageFor(status, problem), status >= 400 && status < 600 ? status : 500);
}

/**
 * The answering routes answer every refusal and failure with a page of their own: a link not
 * valid (404), already used (409), a closed round (410), and so on.
 */
@Catch()
export class PulsePageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PulsePageController');

  constructor(private readonly pages: Pages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    answerAnonymously(exception, host, this.pages, {
      logger: this.logger,
      message: 'answering page failed',
    });
  }
}
