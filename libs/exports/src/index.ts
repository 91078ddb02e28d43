export { ExportsModule } from './exports.module';
export { TooManyRows, TrendExportService, type Progress } from './trend-export.service';
export { ExportJobsService, type ExportStatus, type ExportView } from './export-jobs.service';
export { CONTENT_TYPE, XLSX_MAX_ROWS, type ExportFormat, type TrendFilters } from './trend-filters';
export { TREND_COLUMNS, type TrendColumn, type TrendKey, type TrendRow } from './trend-query';
export { inert, scopeRows, subtree, unitPaths } from './trend-scope';
