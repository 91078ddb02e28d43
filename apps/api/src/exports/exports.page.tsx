import type { ExportView } from '@trellis/exports';
import { ErrorSummary, TableWrap, type FieldProblem } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { ExportForm, FORMAT_WORDS, labelled, type ExportFormProps } from './export-form';
import { STATUS_WORDS } from './export-status.page';

export const EXPORT_EXPLANATION =
  'One row per team, round and dimension: respondents, response rate, mean with its interval, 0–100 score, favourable share, agreement, quadrant and flags. Teams below the anonymity minimum keep their head count and nothing else, exactly as in the heatmap of the overview.';

export interface ExportsPageProps extends ExportFormProps {
  /** The organisation's recent exports, newest first. */
  recent: readonly ExportView[];
  /** As the API names them (field apart); the page adds the labels. */
  problems?: readonly FieldProblem[];
}

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** Trend data to download, and the background exports made recently. */
export function ExportsPage(props: ExportsPageProps) {
  const problems = props.problems ?? [];
  return (
    <Layout title="Download trend data">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={consolePaths.overview(props.orgId)}>Organisation overview</a>
      </nav>
      <h1>Download trend data</h1>
      {/* First on the page, each led by its field's label; beside each field, just what is wrong. */}
      <ErrorSummary problems={labelled(problems)} />
      <section class="card" aria-labelledby="export-h">
        <h2 id="export-h">What to download</h2>
        <p class="muted">{EXPORT_EXPLANATION}</p>
        <ExportForm {...props} problems={problems} />
      </section>
      <section class="card" aria-labelledby="recent-h">
        <h2 id="recent-h">Background exports</h2>
        {props.recent.length ? (
          <TableWrap label="Background exports">
            <table>
              <caption>Prepared in the background, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Asked for</th>
                  <th scope="col">Format</th>
                  <th scope="col">Rounds</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {props.recent.map((e) => (
                  <tr data-export={e.id}>
                    <th scope="row">
                      <a href={consolePaths.exportStatus(e.id)}>{when(e.createdAt)}</a>
                    </th>
                    <td>{FORMAT_WORDS[e.format]}</td>
                    <td>
                      {e.filters.from ?? 'the first'} to {e.filters.to ?? 'the latest'}
                    </td>
                    <td>{STATUS_WORDS[e.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p class="muted">None yet. Large exports are prepared in the background.</p>
        )}
      </section>
    </Layout>
  );
}
