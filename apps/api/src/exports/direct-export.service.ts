import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { actorOf, AuditService } from '@trellis/audit';
import { AppConfig } from '@trellis/config';
import {
  CONTENT_TYPE,
  TooManyRows,
  TrendExportService,
  XLSX_MAX_ROWS,
  type ExportFormat,
  type TrendFilters,
} from '@trellis/exports';
import type { Principal } from '@trellis/identity';

export function attachment(res: Response, format: ExportFormat, fileName: string): void {
  res.setHeader('content-type', CONTENT_TYPE[format]);
  res.setHeader('content-disposition', `attachment; filename="${fileName}"`);
  res.setHeader('cache-control', 'no-store');
}

/** Refused before a byte was written: the export holds more rows than a direct download streams. */
export interface TooLarge {
  rows: number;
  limit: number;
}

/**
 * A trend export streamed straight into the response, for the API and the overview page alike:
 * one pass decides the scope, refuses a large export before the first byte, and records the
 * download in the audit log once it is accepted.
 */
@Injectable()
export class DirectExportService {
  constructor(
    private readonly trends: TrendExportService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async stream(
    format: ExportFormat,
    orgId: string,
    filters: TrendFilters,
    p: Principal,
    res: Response,
  ): Promise<TooLarge | null> {
    const limit = Math.min(this.config.env.EXPORT_DIRECT_MAX_ROWS, XLSX_MAX_ROWS);
    try {
      await this.trends.write(format, orgId, filters, res, {
        maxRows: limit,
        start: async (rows) => {
          attachment(
            res,
            format,
            `trellis-trends-${new Date().toISOString().slice(0, 10)}.${format}`,
          );
          await this.audit.record(actorOf(p), {
            action: 'export.download',
            targetKind: 'organisation',
            targetId: orgId,
            detail: { format, filters, rows, direct: true },
          });
        },
      });
      return null;
    } catch (error) {
      if (!(error instanceof TooManyRows)) throw error;
      return { rows: error.rows, limit };
    }
  }
}
