import { Layout } from '../views/layout';
import { PostForm } from '../views/components';
import { consolePaths } from '../views/navigation';
import { FORMAT_WORDS } from './export-form';
import type { ExportRequest } from './trend-exports.service';

export interface ExportPreparePageProps {
  orgId: string;
  request: ExportRequest;
  /** The unit the filters name, for the sentence that repeats what will be prepared. */
  unitName?: string;
  /** Set when a direct download was asked for and is too large to stream. */
  tooLarge?: { rows: number; limit: number };
}

/** The filters again, as the hidden fields of the form that starts the background job. */
function Hidden({ request }: { request: ExportRequest }) {
  const fields: [string, string][] = [['format', request.format]];
  const f = request.filters;
  if (f.from) fields.push(['from', f.from]);
  if (f.to) fields.push(['to', f.to]);
  if (f.unitId) fields.push(['unitId', f.unitId]);
  if (f.dimensions?.length) fields.push(['dimensions', f.dimensions.join(',')]);
  return (
    <>
      {fields.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

/**
 * Before a background export starts: a download too large to stream, or one asked for in the
 * background. Starting it changes something (a job, an audit entry), so it is a POST form.
 */
export function ExportPreparePage({ orgId, request, unitName, tooLarge }: ExportPreparePageProps) {
  const title = tooLarge ? 'This export is large' : 'Prepare this export in the background';
  const f = request.filters;
  return (
    <Layout title={title}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={consolePaths.overview(orgId)}>Organisation overview</a> ·{' '}
        <a href={consolePaths.exports(orgId)}>Download trend data</a>
      </nav>
      <h1>{title}</h1>
      <section class="card">
        {tooLarge ? (
          <p>
            It holds about {tooLarge.rows.toLocaleString('en')} rows, more than the{' '}
            {tooLarge.limit.toLocaleString('en')} a direct download streams. Trellis can prepare the
            file in the background; you download it when it is ready, within a day.
          </p>
        ) : (
          <p>
            Trellis prepares the file in the background; you download it when it is ready, within a
            day.
          </p>
        )}
        <p class="muted">
          Rounds starting from {f.from ?? 'the first'} up to {f.to ?? 'the latest'}
          {f.unitId
            ? `, ${unitName ?? 'one unit'} and the units below it`
            : ', the whole organisation'}
          .
        </p>
        <PostForm action={`${consolePaths.exports(orgId)}`}>
          <Hidden request={request} />
          <button class="primary" type="submit">
            Prepare the {FORMAT_WORDS[request.format]} file
          </button>
        </PostForm>
        <p>
          <a href={consolePaths.exports(orgId)}>Change the dates or the part of the organisation</a>
        </p>
      </section>
    </Layout>
  );
}
