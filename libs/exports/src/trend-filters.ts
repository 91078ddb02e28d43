/** Which rows of the trend data to export: all of them unless narrowed. */
export interface TrendFilters {
  /** Rounds whose period starts on or after this day (YYYY-MM-DD). */
  from?: string;
  /** Rounds whose period starts on or before this day (YYYY-MM-DD). */
  to?: string;
  /** This unit and every unit below it. */
  unitId?: string;
  /** Dimension keys; all of each round's dimensions when absent. */
  dimensions?: string[];
}

export type ExportFormat = 'csv' | 'xlsx';

/** An XLSX sheet holds 1,048,576 rows; one of them is the header. */
export const XLSX_MAX_ROWS = 1_048_575;

export const CONTENT_TYPE: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};
