import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { h } from 'preact';
import { DomainError } from '@trellis/errors';
import type { AuthedRequest } from '../access/access.guard';
import { RETRY_AFTER_SECONDS } from '../common/all-exceptions.filter';
import { statusOf } from '../common/domain-errors';
import { Pages } from './pages';
import { ProblemPage } from './problem-page';
import { signInPathFor } from './return-path';

/**
 * Pages answer refusals with pages. A browser that is not signed in goes to the sign-in form,
 * which brings it back to the page it asked for; refusals and missing pages get a readable page
 * with the status and nothing about what was asked for. Domain errors get the status their code
 * maps to (common/domain-errors.ts). Anything else is left to the app-wide filter.
 */
@Catch(HttpException, DomainError)
export class PageExceptionFilter implements ExceptionFilter {
  constructor(private readonly pages: Pages) {}

  catch(exception: HttpException | DomainError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    const status = exception instanceof DomainError ? statusOf(exception) : exception.getStatus();
    if (status === 401 && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res.set({ 'cache-control': 'no-store' }).redirect(303, signInPathFor(req.originalUrl));
      return;
    }
    const body = exception instanceof DomainError ? undefined : exception.getResponse();
    // Only the CSRF refusal's words reach the page: others could describe what was asked for.
    const message =
      typeof body === 'object' && body !== null && 'message' in body && status === 403
        ? String(body.message).startsWith('_csrf:')
          ? 'This form is out of date or was sent from another site. Reload the page and try again.'
          : undefined
        : undefined;
    // As the JSON answers: a page that is unavailable for now says when to try again.
    if (status === 503 && !res.getHeader('retry-after'))
      res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    this.pages.send(req, res, h(ProblemPage, { status, message }), status);
  }
}
