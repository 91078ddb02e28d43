import type { ComponentChildren } from 'preact';
import type { RosterPlan } from '@trellis/organisation';
import { ErrorSummary, type FieldProblem, Notice, PostForm, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { usePage } from '../views/page-context';
import type { RosterImportResult, RosterPreview } from './roster-imports.service';

/** Rows shown per table; the counts above always cover all of them. */
const SHOWN = 200;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What a column of the file means, for the problems table and the upload hint. */
const COLUMN_HELP: Record<string, string> = {
  email: 'the person’s work email, one person per email',
  name: 'the person’s full name, the same on every row of that person',
  team_key: 'a short code for the team (letters, digits, dots, dashes)',
  team_name: 'the team’s name, the same on every row of that team',
  department: 'the department path above the team, e.g. “Engineering / Platform”',
  role: '“member” or “leader”',
  '*': 'the whole row',
};

function orgOf(): string {
  return usePage().viewer!.organisationId;
}

/** The file input and its button; on the first page and again beside a file's problems. */
function UploadForm({ problems, again }: { problems: FieldProblem[]; again?: boolean }) {
  const org = orgOf();
  const problem = problems.find((p) => p.field === 'file');
  return (
    <PostForm
      action={`${consolePaths.rosterImport(org)}/preview`}
      enctype="multipart/form-data"
      class="stack"
    >
      <div class="field">
        <label for="file">{again ? 'Corrected file' : 'Roster file (CSV)'}</label>
        <p class="hint" id="file-hint">
          A CSV file saved as UTF-8 with a header line. Columns: email, name, team_key, team_name,
          department, role. One row per person and team.
        </p>
        {problem ? (
          <p class="field-error" id="file-error">
            {problem.message}
          </p>
        ) : null}
        <input
          id="file"
          name="file"
          type="file"
          accept=".csv,text/csv,text/plain"
          required
          aria-describedby={problem ? 'file-hint file-error' : 'file-hint'}
          aria-invalid={problem ? 'true' : undefined}
        />
      </div>
      <button type="submit">{again ? 'Check the corrected file' : 'Check the file'}</button>
    </PostForm>
  );
}

export interface RosterUploadPageProps {
  problems: FieldProblem[];
}

/** The first step: choose a file. Nothing is written until the preview is confirmed. */
export function RosterUploadPage({ problems }: RosterUploadPageProps) {
  return (
    <Layout title="Import the roster">
      <h1>Import the roster</h1>
      <ErrorSummary problems={problems} />
      <section class="card" aria-labelledby="how-h">
        <h2 id="how-h">How it works</h2>
        <ol>
          <li>Export people and teams from your HR system as CSV, one row per person and team.</li>
          <li>Upload it here. Trellis checks every row and shows what would change.</li>
          <li>Nothing changes until you confirm. Fix any problems and upload the file again.</li>
        </ol>
        <p class="muted">
          People and teams are never deleted by an import. In the teams the file lists, people the
          file no longer lists leave the team; their past answers stay.
        </p>
      </section>
      <section class="card" aria-labelledby="upload-h">
        <h2 id="upload-h">Upload</h2>
        <UploadForm problems={problems} />
      </section>
    </Layout>
  );
}

function Counts({ plan }: { plan: RosterPlan }) {
  const { people, units, memberships } = plan;
  const teams = (list: { kind: string }[]) => list.filter((u) => u.kind === 'team').length;
  const departments = (list: { kind: string }[]) =>
    list.filter((u) => u.kind === 'department').length;
  return (
    <ul class="facts roster-counts">
      <li>
        <strong>{people.added.length}</strong> people added
      </li>
      <li>
        <strong>{people.renamed.length}</strong> people renamed
      </li>
      <li>
        <strong>{people.leavingAllTeams.length}</strong> left without a team
      </li>
      <li>
        <strong>{teams(units.added)}</strong> teams added
      </li>
      <li>
        <strong>{teams(units.changed)}</strong> teams changed
      </li>
      <li>
        <strong>{departments(units.added) + departments(units.changed)}</strong> departments added
        or changed
      </li>
      <li>
        <strong>{memberships.started.length}</strong> memberships started
      </li>
      <li>
        <strong>{memberships.roleChanged.length}</strong> roles changed
      </li>
      <li>
        <strong>{memberships.ended.length}</strong> memberships ended
      </li>
    </ul>
  );
}

/** A table of one kind of change, at most SHOWN rows, with a heading that counts all of them. */
function ChangeTable<T>(props: {
  id: string;
  title: string;
  rows: T[];
  head: string[];
  cells: (row: T) => ComponentChildren[];
}) {
  if (!props.rows.length) return null;
  const shown = props.rows.slice(0, SHOWN);
  return (
    <section class="card" aria-labelledby={`${props.id}-h`}>
      <h2 id={`${props.id}-h`}>
        {props.title} ({props.rows.length})
      </h2>
      <TableWrap label={props.title}>
        <table>
          <thead>
            <tr>
              {props.head.map((h) => (
                <th scope="col">{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <tr>
                {props.cells(row).map((c) => (
                  <td>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {props.rows.length > SHOWN ? (
        <p class="muted">
          And {props.rows.length - SHOWN} more, not listed here; the import includes them.
        </p>
      ) : null}
    </section>
  );
}

const line = (n: number | undefined) => (n === undefined ? '' : String(n));
const place = (p: string) => p || 'Top of the organisation';

function Changes({ plan }: { plan: RosterPlan }) {
  const { people, units, memberships } = plan;
  return (
    <>
      <ChangeTable
        id="people-added"
        title="People added"
        rows={people.added}
        head={['Line', 'Name', 'Email']}
        cells={(p) => [line(p.line), p.name, p.email]}
      />
      <ChangeTable
        id="people-renamed"
        title="People renamed"
        rows={people.renamed}
        head={['Line', 'Email', 'Name now', 'Name after']}
        cells={(p) => [line(p.line), p.email, p.before.name, p.name]}
      />
      <ChangeTable
        id="units-added"
        title="Teams and departments added"
        rows={units.added}
        head={['Line', 'Kind', 'Name', 'Key', 'Below']}
        cells={(u) => [
          line(u.line),
          u.kind,
          u.name,
          u.kind === 'team' ? u.key : '',
          place(u.parent),
        ]}
      />
      <ChangeTable
        id="units-changed"
        title="Teams and departments changed"
        rows={units.changed}
        head={['Line', 'Kind', 'Key', 'Now', 'After']}
        cells={(u) => [
          line(u.line),
          u.kind,
          u.key,
          `${u.before.name} (below ${place(u.before.parent)})`,
          u.moved && u.before.parent === u.parent
            ? `${u.name} (below another department also named ${place(u.parent)})`
            : `${u.name} (below ${place(u.parent)})`,
        ]}
      />
      <ChangeTable
        id="memberships-started"
        title="Memberships started"
        rows={memberships.started}
        head={['Line', 'Person', 'Team', 'Role']}
        cells={(m) => [line(m.line), `${m.name} (${m.email})`, m.teamKey, m.role]}
      />
      <ChangeTable
        id="roles-changed"
        title="Roles changed"
        rows={memberships.roleChanged}
        head={['Line', 'Person', 'Team', 'Role now', 'Role after']}
        cells={(m) => [line(m.line), `${m.name} (${m.email})`, m.teamKey, m.before.role, m.role]}
      />
      <ChangeTable
        id="memberships-ended"
        title="Memberships ended"
        rows={memberships.ended}
        head={['Person', 'Team', 'Role']}
        cells={(m) => [`${m.name} (${m.email})`, m.teamKey, m.role]}
      />
      <ChangeTable
        id="leaving"
        title="People left without a team"
        rows={people.leavingAllTeams}
        head={['Person', 'Email']}
        cells={(p) => [p.name, p.email]}
      />
    </>
  );
}

function Problems({ plan }: { plan: RosterPlan }) {
  const org = orgOf();
  return (
    <>
      <div class="error-summary" role="alert" aria-labelledby="problems-h" tabIndex={-1}>
        <h2 id="problems-h">
          The file has {plural(plan.problems.length, 'problem')}; nothing can be imported yet
        </h2>
        <p>
          Correct these rows in your spreadsheet, save it as CSV (UTF-8), and upload it again.
          Nothing has been changed.
        </p>
        <p>
          <a href="#fix-h">Upload the corrected file</a>
        </p>
      </div>
      <section class="card" aria-labelledby="problem-list-h">
        <h2 id="problem-list-h">Problems by line and column</h2>
        <TableWrap label="Problems by line and column">
          <table class="roster-problems">
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Column</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {plan.problems.map((p) => (
                <tr>
                  <td>{p.line}</td>
                  <td>{p.column === '*' ? 'whole row' : p.column}</td>
                  <td>
                    {p.message}
                    {p.column !== '*' && COLUMN_HELP[p.column] ? (
                      <span class="hint">
                        {p.column}: {COLUMN_HELP[p.column]}
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
      <section class="card" aria-labelledby="fix-h">
        <h2 id="fix-h">Upload the corrected file</h2>
        <UploadForm problems={[]} again />
        <p>
          <a href={consolePaths.rosterImport(org)}>Start again</a>
        </p>
      </section>
    </>
  );
}

export interface RosterPreviewPageProps {
  preview: RosterPreview;
  fileName: string;
  /** Why the preview is shown again (the roster changed since the last one). */
  notice?: string;
}

/** The dry run: what the file would change, or its problems; a confirm button when it can be imported. */
export function RosterPreviewPage({ preview, fileName, notice }: RosterPreviewPageProps) {
  const org = orgOf();
  const { plan } = preview;
  return (
    <Layout title="Check the import">
      <h1>Check the import</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <section class="card" aria-labelledby="summary-h">
        <h2 id="summary-h">{fileName || 'The file'}</h2>
        {plan.problems.length ? (
          <p>Nothing has changed: the file has problems to fix first.</p>
        ) : (
          <p>
            {plural(plan.rows, 'row')} of people read.{' '}
            {preview.canConfirm
              ? 'Nothing has changed yet: this is what the import would do.'
              : 'This file changes nothing: the roster already matches it.'}
          </p>
        )}
        {plan.problems.length ? null : <Counts plan={plan} />}
      </section>
      {plan.problems.length ? (
        <Problems plan={plan} />
      ) : (
        <>
          {preview.canConfirm ? (
            <section class="card" aria-labelledby="confirm-h">
              <h2 id="confirm-h">Confirm</h2>
              <p>
                The import applies exactly this file. If the roster changes before you confirm,
                Trellis shows you the new preview instead.
              </p>
              <div class="roster-confirm">
                <PostForm action={consolePaths.rosterImport(org)} class="inline">
                  <input type="hidden" name="preview" value={preview.previewHash} />
                  <button type="submit" class="primary">
                    Import these changes
                  </button>
                </PostForm>
                <a href={consolePaths.rosterImport(org)}>Upload a different file</a>
              </div>
            </section>
          ) : (
            <p>
              <a href={consolePaths.rosterImport(org)}>Upload a different file</a>
            </p>
          )}
          <Changes plan={plan} />
        </>
      )}
    </Layout>
  );
}

export interface RosterResultPageProps {
  result: RosterImportResult;
}

export function RosterResultPage({ result }: RosterResultPageProps) {
  const org = orgOf();
  return (
    <Layout title="Roster imported">
      <h1>Roster imported</h1>
      <Notice>
        The roster is updated: {plural(result.plan.rows, 'row')} imported. Results of past rounds
        are being brought up to date with the new teams.
      </Notice>
      <section class="card" aria-labelledby="done-h">
        <h2 id="done-h">What changed</h2>
        <Counts plan={result.plan} />
        <ul>
          <li>
            <a href={consolePaths.people(org)}>See the people</a> and invite them to sign in
          </li>
          <li>
            <a href={consolePaths.audit(org)}>The audit log</a> has an entry for this import
          </li>
          <li>
            <a href={consolePaths.rosterImport(org)}>Import another file</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}

export interface RosterRefusedPageProps {
  title: string;
  message: string;
}

/** A confirmation that could not be applied (another file, or the preview is gone). */
export function RosterRefusedPage({ title, message }: RosterRefusedPageProps) {
  const org = orgOf();
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      <section class="card">
        <p>{message}</p>
        <p>Nothing was imported.</p>
        <p>
          <a href={consolePaths.rosterImport(org)}>Upload the file again</a>
        </p>
      </section>
    </Layout>
  );
}
