import {
  Controller,
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
import { AppConfig } from '@trellis/config';
import { InvalidInput } from '@trellis/errors';
import { PulseService } from '@trellis/surveys';
import { Public } from '../access/access.decorator';
import { LinkCredential } from '../access/csrf.guard';
import { Pages } from '../views/pages';
import { PulsePageExceptionFilter } from './pulse-page.filter';
import { PulsePage, SKIP_VALUE } from './pulse.page';
import { PulseThanksPage } from './pulse-thanks.page';

const ANSWER_FIELD = /^answers\[(.*)\]$/;
/** A comment on a theme: `comments[<dimension>]=text`, one box per dimension on the page. */
const THEMED_COMMENT_FIELD = /^comments\[(.*)\]$/;
/** Plain decimal integers only: "4", "-1", "0"; not "4.0", "04", " 4", "4e0" or "". */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/**
 * Turns a flat urlencoded form (`answers[ps1]=4&answers[ps2]=skip&comment=…`) into
 * PulseService's submission shape, the one the JSON API takes (`skip` becomes null). Values that are not plain integers, and fields the form never has,
 * pass through unchanged so the service's validation names them. Null-prototype objects keep
 * keys like `__proto__` inert.
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
  const themed: { dimension: string; text: unknown }[] = [];
  for (const [field, value] of Object.entries(form)) {
    const answer = ANSWER_FIELD.exec(field);
    const comment = THEMED_COMMENT_FIELD.exec(field);
    if (comment) {
      // Empty boxes are the page's default, not comments.
      if (typeof value !== 'string' || value.trim() !== '') {
        themed.push({ dimension: comment[1], text: value });
      }
    } else if (answer) {
      // "Prefer not to answer" is the API's null: the item was seen and skipped.
      answers[answer[1]] =
        value === SKIP_VALUE
          ? null
          : typeof value === 'string' && INTEGER.test(value)
            ? Number(value)
            : value;
    } else if (field !== 'answers') {
      // Anything else passes through to be named, except a bare `answers`, which would replace them.
      submission[field] = value;
    }
  }
  if (themed.length > 0) submission.comments = themed;
  return submission;
}

/**
 * The answering page behind a personal link: the browser face of PulseService, which the JSON
 * API at /pulse/:token shares. GET shows the statements; POST hands the form to the same
 * `submit` (validation, the domain's field problems and the one-statement storage happen
 * there, once) and shows its problems next to their fields. The link is the credential
 * (@LinkCredential: no CSRF token, no cookie); nothing here logs what was answered.
 */
@ApiExcludeController()
@Controller('r/:token')
@UseFilters(PulsePageExceptionFilter)
export class PulsePageController {
  constructor(
    private readonly pulse: PulseService,
    private readonly pages: Pages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  async show(@Param('token') token: string, @Res() res: Response): Promise<void> {
    const form = await this.pulse.form(token);
    this.pages.sendAnonymous(res, h(PulsePage, { token, form }));
  }

  /**
   * The body is read from the request, not through @Body(): the global validation pipe would
   * refuse some problems (a NUL in the comment) before this page could show them by their field.
   */
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
      throw new UnsupportedMediaTypeException({
        statusCode: 415,
        message: 'content-type: must be application/x-www-form-urlencoded',
      });
    }
    const submission = submissionFromForm(req.body);
    try {
      const receipt = await this.pulse.submit(token, submission);
      this.pages.sendAnonymous(
        res,
        h(PulseThanksPage, { receipt, publicUrl: this.config.env.PUBLIC_URL }),
      );
    } catch (error) {
      if (!(error instanceof InvalidInput)) throw error;
      // The same problems as the JSON API's 400, shown by their statements; what was typed stays.
      const form = await this.pulse.form(token);
      const state = {
        answers: submission.answers,
        comment: submission.comment,
        comments: submission.comments,
        problems: [...error.problems],
      };
      this.pages.sendAnonymous(res, h(PulsePage, { token, form, state }), 400);
    }
  }
}
