import { Field, type FieldProblem } from '../views/components';
import { consolePaths } from '../views/navigation';

/** What the form's fields hold: what was typed, kept when it comes back with problems. */
export interface ExportFormValues {
  from: string;
  to: string;
  unitId: string;
  format: string;
}

/** The form's fields by their labels, for problems that read on a page. */
export const EXPORT_FIELD_LABELS: Readonly<Record<string, string>> = {
  from: 'Rounds starting from',
  to: 'Up to',
  unitId: 'Part of the organisation',
  format: 'Format',
  dimensions: 'Dimensions',
};

/** The API's problems (field apart, message after) as sentences led by the field's label. */
export function labelled(problems: readonly FieldProblem[]): FieldProblem[] {
  return problems.map((p) => ({
    field: p.field,
    message: `${EXPORT_FIELD_LABELS[p.field] ?? p.field}: ${p.message}`,
  }));
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The form as it first appears: the last year, the whole organisation, CSV. */
export function defaultExportValues(today = new Date()): ExportFormValues {
  const yearAgo = new Date(today);
  yearAgo.setUTCFullYear(today.getUTCFullYear() - 1);
  return { from: day(yearAgo), to: day(today), unitId: '', format: 'csv' };
}

/** A submitted form's values as text, whatever arrived. */
export function exportValuesOf(input: Record<string, unknown> | undefined): ExportFormValues {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    from: text(input?.from),
    to: text(input?.to),
    unitId: text(input?.unitId),
    format: text(input?.format),
  };
}

export const FORMAT_WORDS: Readonly<Record<'csv' | 'xlsx', string>> = {
  csv: 'CSV',
  xlsx: 'Excel (XLSX)',
};

export interface ExportFormProps {
  orgId: string;
  /** The organisation's units in tree order; the organisation itself means "everything". */
  units: readonly { unit: { id: string; name: string; kind: string }; depth: number }[];
  values: ExportFormValues;
  problems?: readonly FieldProblem[];
}

function describedBy(name: string, problems: readonly FieldProblem[]): string | undefined {
  return problems.some((p) => p.field === name) ? `${name}-error` : undefined;
}

/**
 * Trend data as CSV or XLSX for a date range and part of the organisation. A GET form: reading
 * changes nothing, so it carries no CSRF token (which would land in the address). "Download"
 * streams the file when it is small; "Prepare in the background", or a download too large to
 * stream, leads to a page whose button (a POST form with the token) starts the background job.
 */
export function ExportForm({ orgId, units, values, problems = [] }: ExportFormProps) {
  const list = [...problems];
  return (
    <form class="export-form" method="get" action={`${consolePaths.overview(orgId)}/export`}>
      <div class="row">
        <Field
          name="from"
          label="Rounds starting from"
          problems={list}
          input={{ type: 'date', value: values.from }}
        />
        <Field name="to" label="Up to" problems={list} input={{ type: 'date', value: values.to }} />
      </div>
      <Field name="unitId" label="Part of the organisation" problems={list}>
        <select
          id="unitId"
          name="unitId"
          aria-describedby={describedBy('unitId', list)}
          aria-invalid={describedBy('unitId', list) ? 'true' : undefined}
        >
          {units.map(({ unit, depth }) => {
            const value = unit.kind === 'organisation' ? '' : unit.id;
            return (
              <option value={value} selected={value === values.unitId}>
                {'– '.repeat(depth)}
                {unit.name}
              </option>
            );
          })}
        </select>
      </Field>
      <Field name="format" label="Format" problems={list}>
        <select
          id="format"
          name="format"
          aria-describedby={describedBy('format', list)}
          aria-invalid={describedBy('format', list) ? 'true' : undefined}
        >
          {(['csv', 'xlsx'] as const).map((f) => (
            <option value={f} selected={f === values.format}>
              {FORMAT_WORDS[f]}
            </option>
          ))}
        </select>
      </Field>
      <div class="buttons">
        <button class="primary" type="submit" name="mode" value="download">
          Download
        </button>
        <button class="primary secondary" type="submit" name="mode" value="background">
          Prepare in the background
        </button>
      </div>
    </form>
  );
}
