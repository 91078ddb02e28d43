import { Injectable } from '@nestjs/common';
import { actorOf, AuditService } from '@trellis/audit';
import { ExportJobsService, type ExportView, type TrendFilters } from '@trellis/exports';
import type { Principal } from '@trellis/identity';
import { UnitsService } from '@trellis/organisation';
import { treeOrder, type TreeUnit } from '../reporting/report-format';
import { createValidationPipe } from '../common/validation.pipe';
import { CreateExportDto, filtersOf } from './exports.dto';

/** What one export asks for: a file format and the trend filters. */
export interface ExportRequest {
  format: 'csv' | 'xlsx';
  filters: TrendFilters;
}

/** The export form's choices and what was exported lately, for the export page. */
export interface ExportChoices {
  units: { unit: TreeUnit; depth: number }[];
  recent: ExportView[];
}

const strict = createValidationPipe();

/**
 * An export request from anything a client sent (a JSON body, a query string, a submitted
 * form), read by the one set of rules: the API's validation pipe with CreateExportDto, then
 * filtersOf. A request that does not read throws the API's 400 with each problem by field, the
 * same problems whether they come back as JSON or on a form.
 */
export async function exportRequestOf(
  input: unknown,
  where: 'body' | 'query' = 'body',
): Promise<ExportRequest> {
  const dto = (await strict.transform(input ?? {}, {
    type: where,
    metatype: CreateExportDto,
  })) as CreateExportDto;
  return requestOf(dto);
}

/** A CreateExportDto the validation pipe has already checked, as a request. */
export function requestOf(dto: CreateExportDto): ExportRequest {
  return { format: dto.format, filters: filtersOf(dto) };
}

/**
 * Background exports as one use case for the API and the pages: the job is created (its own
 * checks, such as the XLSX row limit, throw field problems) and the audit entry is written once,
 * with what was asked for.
 */
@Injectable()
export class TrendExportsService {
  constructor(
    private readonly jobs: ExportJobsService,
    private readonly audit: AuditService,
    private readonly units: UnitsService,
  ) {}

  /** What the export form offers (the units in tree order) and the recent background exports. */
  async choices(orgId: string, recent = 10): Promise<ExportChoices> {
    const [units, exports] = await Promise.all([
      this.unitTree(orgId),
      this.jobs.list(orgId, recent),
    ]);
    return { units, recent: exports };
  }

  /** The organisation's units in tree order, each with its depth. */
  async unitTree(orgId: string): Promise<{ unit: TreeUnit; depth: number }[]> {
    const units = await this.units.list(orgId, { kind: 'organisation' });
    return treeOrder(units.map(({ id, parentId, name, kind }) => ({ id, parentId, name, kind })));
  }

  async create(orgId: string, p: Principal, request: ExportRequest): Promise<ExportView> {
    const created = await this.jobs.create(orgId, p.personId, request.format, request.filters);
    await this.audit.record(actorOf(p), {
      action: 'export.create',
      targetKind: 'organisation',
      targetId: orgId,
      detail: { format: request.format, filters: request.filters, exportId: created.id },
    });
    return created;
  }
}
