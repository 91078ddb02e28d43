import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Response } from 'express';
import type { AuthedRequest } from '../access/access.guard';
import { problemPage, REPORT_HEADERS } from './report-pages';

/**
 * The access guard answers in JSON; for the report pages a browser gets a page instead. A
 * browser that is not signed in goes to the sign-in form; other clients keep the plain 401
 * (as a page). Refusals and missing reports get a readable page with the guard's status and
 * nothing about the report. Anything that is not an HttpException is left to the app-wide filter.
 */
@Catch(HttpException)
export class ReportPageExceptionFilter implements ExceptionFilter {
  catch(exception: HttpException, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<AuthedRequest>();
    const res = http.getResponse<Response>();
    if (res.headersSent) return;
    const status = exception.getStatus();
    if (status === 401 && req.method === 'GET' && req.accepts(['json', 'html']) === 'html') {
      res.set({ 'cache-control': 'no-store' }).redirect(303, '/sign-in');
      return;
    }
    const viewer = req.principal ? { name: req.principal.name } : undefined;
    res.status(status).set(REPORT_HEADERS).send(problemPage(status, viewer));
  }
}
