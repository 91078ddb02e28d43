import type { ComponentChildren } from 'preact';
import {
  AUDIT_KIND_NAMES,
  AUDIT_KINDS,
  type AuditActorOption,
  type AuditEvent,
} from '@trellis/audit';
import { ErrorSummary, type FieldProblem, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';

/** The filters as typed, kept in the form (and in the link to older entries). */
export interface AuditLogFilters {
  kind: string;
  actor: string;
  from: string;
  to: string;
}

export interface AuditLogPageProps {
  orgId: string;
  filters: AuditLogFilters;
  problems: FieldProblem[];
  events: AuditEvent[];
  nextBefore: string | null;
  /** Whether this is a page after the first (a "newest" link is shown). */
  paged: boolean;
  actors: AuditActorOption[];
}

const ACTIONS: Record<string, string> = {
  'report.view': 'Viewed a report',
  'heatmap.view': 'Viewed the heatmap',
  'participation.view': 'Viewed participation',
  'audit.view': 'Read the audit log',
  'export.create': 'Started an export',
  'export.download': 'Downloaded an export',
  'data.read': 'Read data through the API',
  'roster.import': 'Imported the roster',
  'settings.change': 'Changed settings',
  'settings.reset': 'Reset settings to the defaults',
  'settings.webhook_test': 'Sent a test message to the webhook',
  'api_token.create': 'Created an API token',
  'api_token.revoke': 'Revoked an API token',
  'person.role_granted': 'Granted a role',
  'person.role_revoked': 'Revoked a role',
  'person.leader_added': 'Made a team leader',
  'person.leader_removed': 'Removed a team leader',
  'person.deactivated': 'Deactivated a person',
  'person.reactivated': 'Reactivated a person',
  'person.sign_in_invited': 'Sent a sign-in invitation',
  'people.sign_in_invited': 'Invited everyone imported to sign in',
  'person.password_set_by_link': 'Set their password from a link',
  'person.roles_set': 'Set roles (API)',
  'person.password_set_by_admin': "Set someone's password (API)",
};

const VIA: Record<string, string> = { api_token: 'API token', system: 'Trellis', session: '' };

/** A value of an entry's detail as short text; entries hold ids, counts and settings only. */
function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return '';
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Before and after of a change, field by field; only fields that differ. */
function Change({ before, after }: { before: unknown; after: unknown }) {
  const b = isRecord(before) ? before : { value: before };
  const a = isRecord(after) ? after : { value: after };
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter(
    (k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
  if (!keys.length) return <span class="muted">No field changed</span>;
  return (
    <ul class="audit-change">
      {keys.map((k) => (
        <li>
          <span class="kind">{k}</span> {short(b[k]) || '(none)'} → {short(a[k]) || '(none)'}
        </li>
      ))}
    </ul>
  );
}

function RosterCounts({ d }: { d: Record<string, unknown> }) {
  const n = (path: string[]) => {
    let v: unknown = d;
    for (const p of path) v = isRecord(v) ? v[p] : undefined;
    return typeof v === 'number' ? v : 0;
  };
  return (
    <span>
      {n(['rows'])} rows: {n(['people', 'added'])} people added, {n(['people', 'renamed'])} renamed;{' '}
      {n(['units', 'added'])} teams or departments added, {n(['units', 'changed'])} changed;{' '}
      {n(['memberships', 'started'])} memberships started, {n(['memberships', 'ended'])} ended
      {d.withoutPreview ? ' (through the API, without a preview)' : ''}
    </span>
  );
}

function Detail({ event }: { event: AuditEvent }) {
  const d = event.detail;
  const parts: ComponentChildren[] = [];
  if ('before' in d || 'after' in d) parts.push(<Change before={d.before} after={d.after} />);
  if (event.action === 'roster.import') parts.push(<RosterCounts d={d} />);
  if (isRecord(d.query)) {
    const filters = Object.entries(d.query).map(([k, v]) => `${k} ${short(v)}`);
    if (filters.length) parts.push(<span>Filters: {filters.join(', ')}</span>);
  }
  const shown = new Set(['before', 'after', 'query']);
  if (event.action !== 'roster.import') {
    const rest = Object.entries(d).filter(([k]) => !shown.has(k));
    if (rest.length)
      parts.push(
        <ul class="audit-change">
          {rest.map(([k, v]) => (
            <li>
              <span class="kind">{k}</span> {short(v)}
            </li>
          ))}
        </ul>,
      );
  }
  return parts.length ? <>{parts}</> : <span class="muted">—</span>;
}

function when(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function linkTo(orgId: string, filters: AuditLogFilters, before?: string): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filters) as [string, string][]) if (v) query.set(k, v);
  if (before) query.set('before', before);
  const text = query.toString();
  return `${consolePaths.audit(orgId)}${text ? `?${text}` : ''}`;
}

/** The audit log for HR and admins: who viewed, exported and changed what, newest first. */
export function AuditLogPage(props: AuditLogPageProps) {
  const { orgId, filters, problems, events } = props;
  const problemOf = (field: string) => problems.find((p) => p.field === field);
  const invalid = (field: string) => (problemOf(field) ? 'true' : undefined);
  const describedBy = (field: string) => (problemOf(field) ? `${field}-error` : undefined);
  const error = (field: string) => {
    const p = problemOf(field);
    return p ? (
      <p class="field-error" id={`${field}-error`}>
        {p.message}
      </p>
    ) : null;
  };
  return (
    <Layout title="Audit log">
      <h1>Audit log</h1>
      <ErrorSummary problems={problems} />
      <p class="muted">
        Every view of results, export, settings change, roster import and role change, newest first.
        Entries cannot be changed or deleted. They never contain anyone’s answers.
      </p>
      <form method="get" action={consolePaths.audit(orgId)} class="card toolbar audit-filters">
        <div class="field">
          <label for="kind">Kind</label>
          {error('kind')}
          <select
            id="kind"
            name="kind"
            aria-invalid={invalid('kind')}
            aria-describedby={describedBy('kind')}
          >
            <option value="">All kinds</option>
            {AUDIT_KIND_NAMES.map((k) => (
              <option value={k} selected={filters.kind === k}>
                {AUDIT_KINDS[k].label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="actor">Who</label>
          {error('actor')}
          <select
            id="actor"
            name="actor"
            aria-invalid={invalid('actor')}
            aria-describedby={describedBy('actor')}
          >
            <option value="">Anyone</option>
            {props.actors.map((a) => (
              <option value={a.personId} selected={filters.actor === a.personId}>
                {a.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="from">From</label>
          {error('from')}
          <input
            id="from"
            name="from"
            type="date"
            value={filters.from}
            aria-invalid={invalid('from')}
            aria-describedby={describedBy('from')}
          />
        </div>
        <div class="field">
          <label for="to">To</label>
          {error('to')}
          <input
            id="to"
            name="to"
            type="date"
            value={filters.to}
            aria-invalid={invalid('to')}
            aria-describedby={describedBy('to')}
          />
        </div>
        <button type="submit" class="primary">
          Filter
        </button>
      </form>
      <p>
        <a href={consolePaths.audit(orgId)}>Clear the filters</a>
      </p>
      {events.length ? (
        <TableWrap label="Audit entries">
          <table class="audit-log">
            <caption class="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">On</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr>
                  <td>
                    <time dateTime={e.at}>{when(e.at)}</time>
                  </td>
                  <td>
                    {e.actor.name ?? e.actor.email ?? 'Trellis'}
                    {e.actor.name && e.actor.email ? (
                      <span class="muted"> {e.actor.email}</span>
                    ) : null}
                    {VIA[e.actor.via] ? <span class="pill">{VIA[e.actor.via]}</span> : null}
                  </td>
                  <td>
                    {ACTIONS[e.action] ?? e.action}
                    <br />
                    <code class="muted">{e.action}</code>
                  </td>
                  <td>
                    {e.target.kind ? (
                      <>
                        <span class="kind">{e.target.kind}</span>{' '}
                        {e.target.name ?? <span class="muted">(no longer there)</span>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <Detail event={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : (
        <p class="card">
          {problems.length ? 'Fix the filters above.' : 'No entries match these filters.'}
        </p>
      )}
      {props.paged || props.nextBefore ? (
        <nav class="toolbar audit-pages" aria-label="Pages of the audit log">
          {props.paged ? <a href={linkTo(orgId, filters)}>Newest entries</a> : null}
          {props.nextBefore ? (
            <a href={linkTo(orgId, filters, props.nextBefore)}>Older entries</a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}
