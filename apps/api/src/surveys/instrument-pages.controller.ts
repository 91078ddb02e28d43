import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { h } from 'preact';
import type { FieldProblem } from '@trellis/errors';
import { InstrumentsService, type InstrumentDef } from '@trellis/surveys';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { consolePaths } from '../views/navigation';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import { InstrumentFormPage } from './instrument-form.page';
import { INSTRUMENT_TEMPLATE } from './instrument-template';
import { InstrumentPage, InstrumentsPage } from './instruments.page';

const HR = ['hr', 'admin'] as const;

const DONE: Record<string, string> = {
  created: 'The questionnaire is added. Campaigns can ask it now.',
  saved: 'Saved.',
  versioned: 'Saved as a new version: rounds that used the earlier one keep it.',
};

/** A refusal's field problems (400 from invalid(), 409 from conflict()), else undefined. */
function problemsOf(error: unknown): FieldProblem[] | undefined {
  if (!(error instanceof BadRequestException) && !(error instanceof ConflictException))
    return undefined;
  const body = error.getResponse() as { errors?: FieldProblem[]; message?: unknown };
  if (Array.isArray(body.errors)) return body.errors;
  return typeof body.message === 'string'
    ? [{ field: 'definition', message: body.message }]
    : undefined;
}

/** "items[2].text" as people read it: "Statement 3, text". */
function place(field: string): string {
  return field
    .replace(
      /^items\[(\d+)\]\.?/,
      (_, i: string) => `Statement ${Number(i) + 1}${field.includes('].') ? ', ' : ''}`,
    )
    .replace(
      /^dimensions\[(\d+)\]\.?/,
      (_, i: string) => `Dimension ${Number(i) + 1}${field.includes('].') ? ', ' : ''}`,
    )
    .replace(/^scale\.?/, 'Scale ')
    .trim();
}

/** Every problem of a definition linked to the one text area it was typed in. */
function readable(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    field: 'definition',
    message: p.field === 'definition' ? p.message : `${place(p.field)}: ${p.message}`,
  }));
}

/** The text area's JSON, or the problem with it. */
function parse(text: string): { ok: true; value: unknown } | { ok: false; problem: FieldProblem } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return {
      ok: false,
      problem: {
        field: 'definition',
        message: `The definition is not valid JSON (${(error as Error).message}). Check commas, quotes and brackets.`,
      },
    };
  }
}

/**
 * The questionnaire pages: the browser face of InstrumentsService, which the JSON routes share.
 * HR and admins read every questionnaire, add their own and edit them (a version a round used
 * stays frozen: the service writes a new one).
 */
@ApiExcludeController()
@Controller('app')
@UseFilters(PageExceptionFilter)
export class InstrumentPagesController {
  constructor(
    private readonly instruments: InstrumentsService,
    private readonly pages: Pages,
  ) {}

  @Get('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', HR)
  async list(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const instruments = await this.instruments.list(orgId);
    this.pages.send(req, res, h(InstrumentsPage, { orgId, instruments }));
  }

  @Get('organisations/:orgId/instruments/new')
  @Allow('organisation', 'orgId', HR)
  newForm(@Param('orgId') orgId: string, @Req() req: AuthedRequest, @Res() res: Response): void {
    const text = JSON.stringify(INSTRUMENT_TEMPLATE, null, 2);
    this.pages.send(
      req,
      res,
      h(InstrumentFormPage, {
        orgId,
        text,
        problems: [],
        preview: this.instruments.check(INSTRUMENT_TEMPLATE),
      }),
    );
  }

  @Post('organisations/:orgId/instruments')
  @Allow('organisation', 'orgId', HR)
  async create(
    @Param('orgId') orgId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const text = typeof body?.definition === 'string' ? body.definition.trim() : '';
    await this.submit(req, res, orgId, text, body?.intent === 'preview', async (def) => {
      const created = await this.instruments.add(orgId, req.principal!, def);
      return `${consolePaths.instrument(created.id)}?done=created`;
    });
  }

  @Get('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', HR)
  async show(
    @Param('instrumentId') instrumentId: string,
    @Query('version') version: unknown,
    @Query('done') done: unknown,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const instrument = await this.instruments.get(instrumentId);
    const asked = typeof version === 'string' ? Number(version) : undefined;
    const shown = instrument.versions.find((v) => v.version === asked) ?? instrument.versions[0];
    this.pages.send(
      req,
      res,
      h(InstrumentPage, {
        orgId: req.principal!.organisationId,
        instrument,
        shown,
        notice: typeof done === 'string' ? DONE[done] : undefined,
      }),
    );
  }

  @Get('instruments/:instrumentId/edit')
  @Allow('instrument', 'instrumentId', HR)
  async editForm(
    @Param('instrumentId') instrumentId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const instrument = await this.instruments.get(instrumentId);
    const def = instrument.versions[0].definition;
    this.pages.send(
      req,
      res,
      h(InstrumentFormPage, {
        orgId: req.principal!.organisationId,
        instrument,
        text: JSON.stringify(def, null, 2),
        problems: [],
        preview: def,
      }),
    );
  }

  @Post('instruments/:instrumentId')
  @Allow('instrument', 'instrumentId', HR)
  async save(
    @Param('instrumentId') instrumentId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const instrument = await this.instruments.get(instrumentId);
    const text = typeof body?.definition === 'string' ? body.definition.trim() : '';
    await this.submit(
      req,
      res,
      req.principal!.organisationId,
      text,
      body?.intent === 'preview',
      async (def) => {
        const saved = await this.instruments.edit(instrumentId, req.principal!, def);
        const done = saved.latestVersion === instrument.latestVersion ? 'saved' : 'versioned';
        return `${consolePaths.instrument(instrumentId)}?done=${done}`;
      },
      instrument,
    );
  }

  /** Preview or save a typed definition; a refusal shows the form again with its problems. */
  private async submit(
    req: AuthedRequest,
    res: Response,
    orgId: string,
    text: string,
    previewOnly: boolean,
    save: (def: unknown) => Promise<string>,
    instrument?: Awaited<ReturnType<InstrumentsService['get']>>,
  ): Promise<void> {
    const again = (problems: FieldProblem[], preview?: InstrumentDef, status = 400) =>
      this.pages.send(
        req,
        res,
        h(InstrumentFormPage, { orgId, instrument, text, problems: readable(problems), preview }),
        status,
      );
    const parsed = parse(text);
    if (!parsed.ok) return again([parsed.problem]);
    try {
      if (previewOnly) return again([], this.instruments.check(parsed.value), 200);
      res.redirect(303, await save(parsed.value));
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      again(problems);
    }
  }
}
