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
import type { Response } from 'express';
import { h } from 'preact';
import { AppConfig } from '@trellis/config';
import { Allow } from '../access/access.decorator';
import type { AuthedRequest } from '../access/access.guard';
import { uploadOf } from '../common/body-parsers';
import { decodeUpload } from '../common/text-encoding';
import { PageExceptionFilter } from '../views/page-exception.filter';
import { Pages } from '../views/pages';
import {
  RosterPreviewPage,
  RosterRefusedPage,
  RosterResultPage,
  RosterUploadPage,
} from './roster-import.page';
import { RosterImports } from './roster-imports.service';

/** The field and message of a refusal from the service, as the page shows it. */
function refusalOf(error: unknown): { status: number; field?: string; message: string } | null {
  if (!(error instanceof HttpException) || error.getStatus() >= 500) return null;
  const body = error.getResponse() as {
    message?: string;
    errors?: { field: string; message: string }[];
  };
  const first = body.errors?.[0];
  return {
    status: error.getStatus(),
    field: first?.field,
    message: first?.message ?? String(body.message ?? 'refused'),
  };
}

const sizeOf = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Math.floor(bytes / (1024 * 1024))} MB`
    : `${Math.floor(bytes / 1024)} KB`;

/**
 * The roster import in the browser: upload a file, see its dry run, confirm. The browser face of
 * RosterImports, which the JSON API shares; the file is read from a multipart form (see
 * body-parsers.ts) and kept server-side between the preview and the confirmation.
 */
@ApiExcludeController()
@Controller('app/organisations/:orgId/import')
@UseFilters(PageExceptionFilter)
export class RosterImportPageController {
  constructor(
    private readonly imports: RosterImports,
    private readonly pages: Pages,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  form(@Req() req: AuthedRequest, @Res() res: Response): void {
    this.pages.send(req, res, h(RosterUploadPage, { problems: [] }));
  }

  @Post('preview')
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async preview(
    @Param('orgId') orgId: string,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const upload = uploadOf(req);
    const refuse = (status: number, message: string) =>
      this.pages.send(
        req,
        res,
        h(RosterUploadPage, { problems: [{ field: 'file', message }] }),
        status,
      );
    if (upload.refused === 'LIMIT_FILE_SIZE')
      return refuse(
        413,
        `The file is larger than ${sizeOf(this.config.env.MAX_BODY_BYTES)}; split it into smaller files.`,
      );
    if (upload.refused)
      return refuse(400, 'The file could not be read; choose it and send it again.');
    const file = upload.file;
    if (!file || file.bytes.length === 0) return refuse(400, 'Choose a CSV file to check.');
    if (/\.(xlsx?|ods|numbers)$/i.test(file.name))
      return refuse(
        400,
        'This is a spreadsheet, not a CSV file. In your spreadsheet, choose “Save as” or “Download as” CSV (UTF-8), then upload that file.',
      );
    let csv: string;
    try {
      csv = decodeUpload(file.bytes, undefined);
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      // A browser cannot declare a file's charset, so the advice is only to save it as UTF-8.
      const reason = refusal.message
        .replace(/^body: /, '')
        .replace(/, or send its charset.*$/, '.');
      return refuse(400, `The file ${reason}`);
    }
    const preview = await this.imports.preview(orgId, req.principal!, csv, { keep: true });
    this.pages.send(
      req,
      res,
      h(RosterPreviewPage, { preview, fileName: file.name }),
      preview.plan.problems.length ? 422 : 200,
    );
  }

  @Post()
  @Allow('organisation', 'orgId', ['hr', 'admin'])
  async confirm(
    @Param('orgId') orgId: string,
    @Body() body: Record<string, unknown> | undefined,
    @Req() req: AuthedRequest,
    @Res() res: Response,
  ): Promise<void> {
    const principal = req.principal!;
    try {
      const result = await this.imports.confirm(orgId, principal, body?.preview);
      this.pages.send(req, res, h(RosterResultPage, { result }));
    } catch (error) {
      const refusal = refusalOf(error);
      if (!refusal) throw error;
      if (refusal.status === 409 && refusal.field === 'preview') {
        // The roster changed since the preview: show what the same file would do now.
        const again = await this.imports.keptPreview(orgId, principal);
        if (again) {
          return this.pages.send(
            req,
            res,
            h(RosterPreviewPage, {
              preview: again,
              fileName: 'The same file, checked again',
              notice:
                'The roster changed since your preview, so nothing was imported. This is what the file would do now; confirm again if it is right.',
            }),
            409,
          );
        }
      }
      const title =
        refusal.status === 410
          ? 'This preview has expired'
          : refusal.status === 409
            ? 'This is not the previewed file'
            : 'The import could not start';
      this.pages.send(
        req,
        res,
        h(RosterRefusedPage, { title, message: refusal.message }),
        refusal.status,
      );
    }
  }
}
