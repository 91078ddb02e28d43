import { LinkCredential } from '../access/csrf.guard';
import { Controller, Get, HttpException, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PulseService } from '@trellis/surveys';
import { Public } from '../access/access.decorator';
import {
  CONTENT_SECURITY_POLICY,
  problemPage,
  pulseFormPage,
  thanksPage,
  type FieldProblem,
  type ProblemKind,
} from './pulse-page';

const ANSWER_FIELD = /^answers\[(.*)\]$/;
/** Plain decimal integers only: "4", "-1", "0"; not "4.0", "04", " 4", "4e0" or "". */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * Turns a flat urlencoded form (`answers[ps1]=4&comment=…`) into PulseService's submission shape.
 * Values that are not plain integers, and fields the form never has, pass through unchanged so
 * the service's validation names them. Null-prototype objects keep keys like `__proto__` inert.
 */
export function submissionFromForm(form: unknown): {
  answers: Record<string, unknown>;
  [field: string]: unknown;
} {
  const answers = Object.create(null) as Record<string, unknown>;
  const submission = Object.create(null) as { answers: Record<string, unknown> } & Record<
    string,
    unknown
  >;
  submission.answers = answers;
  if (typeof form !== 'object' || form === null) return submission;
  for (const [field, value] of Object.entries(form)) {
    const answer = ANSWER_FIELD.exec(field);
    if (answer) {
      answers[answer[1]] = typeof value === 'string' && INTEGER.test(value) ? Number(value) : value;
    } else if (field !== 'answers') {
      // Anything else passes through to be named, except a bare `answers`, which would replace them.
      submission[field] = value;
    }
  }
  return submission;
}

const KIND_BY_STATUS: Record<number, ProblemKind> = {
  404: 'not_found',
  409: 'answered',
  410: 'closed',
};

/**
 * The answering page behind a personal link, served by the API: GET shows the statements, POST
 * takes the one submission through PulseService, exactly as the JSON API at /pulse/:token does.
 * Nothing here logs what was answered or sets a cookie.
 */
@ApiExcludeController()
@Controller('r/:token')
export class PulsePageController {
  private readonly logger = new Logger(PulsePageController.name);

  constructor(private readonly pulse: PulseService) {}

  @Get()
  @Public()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    try {
      const form = await this.pulse.form(token);
      this.send(res, 200, pulseFormPage(token, form));
    } catch (error) {
      this.fail(res, error);
    }
  }

  @Post()
  @LinkCredential()
  @Public()
  async submit(
    @Param('token') token: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // A request without a body reads as an empty form; any other media type is not this form.
    if (req.is('application/x-www-form-urlencoded') === false) {
      this.send(res, 415, problemPage('unsupported'));
      return;
    }
    const submission = submissionFromForm(req.body);
    try {
      if (typeof submission.comment === 'string' && submission.comment.includes('\u0000')) {
        // PostgreSQL cannot store NUL; say so next to the comment instead of failing later.
        const form = await this.pulse.form(token);
        const errors = [{ field: 'comment', message: 'must not contain the NUL character' }];
        this.send(
          res,
          400,
          pulseFormPage(token, form, {
            answers: submission.answers,
            comment: submission.comment,
            errors,
          }),
        );
        return;
      }
      const { teamName, audience, promises } = await this.pulse.submit(token, submission);
      this.send(res, 200, thanksPage(teamName, audience, promises));
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 400) {
        const body = error.getResponse() as { errors?: FieldProblem[] };
        const errors = body.errors ?? [];
        try {
          const form = await this.pulse.form(token);
          this.send(
            res,
            400,
            pulseFormPage(token, form, {
              answers: submission.answers,
              comment: submission.comment,
              errors,
            }),
          );
        } catch (again) {
          this.fail(res, again);
        }
        return;
      }
      this.fail(res, error);
    }
  }

  private send(res: Response, status: number, html: string): void {
    res
      .status(status)
      .set({
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
        'x-robots-tag': 'noindex',
      })
      .send(html);
  }

  /** 404, 409 and 410 get their page; anything else is logged without the request's contents. */
  private fail(res: Response, error: unknown): void {
    const status = error instanceof HttpException ? error.getStatus() : 500;
    const kind = KIND_BY_STATUS[status];
    if (kind) {
      this.send(res, status, problemPage(kind));
      return;
    }
    // Database errors carry the query's parameters (the answers): log only what kind of failure it was.
    const e = error as { name?: unknown; code?: unknown; driverError?: { code?: unknown } };
    this.logger.error(
      {
        error: { name: e?.name, status, code: e?.driverError?.code ?? e?.code },
      },
      'answering page failed',
    );
    this.send(res, status >= 400 && status < 600 ? status : 500, problemPage('failed'));
  }
}
