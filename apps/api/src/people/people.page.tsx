import { Notice } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { usePage } from '../views/page-context';
import type {
  PeopleFilters,
  PeopleListView,
  PersonListItem,
  TeamOption,
} from './people-directory.service';

export interface PeoplePageProps {
  organisationId: string;
  list: PeopleListView;
  filters: PeopleFilters;
  teams: TeamOption[];
  notice?: string;
}

const ROLE_LABELS: Record<string, string> = { admin: 'Admin', hr: 'HR' };

function PersonRow({ organisationId, p }: { organisationId: string; p: PersonListItem }) {
  const leads = p.teams.filter((t) => t.role === 'leader');
  const member = p.teams.filter((t) => t.role === 'member');
  return (
    <li>
      <div>
        <a href={consolePaths.person(organisationId, p.id)}>{p.name}</a>
        <br />
        <span class="muted">{p.email}</span>
      </div>
      <div class="person-tags">
        {p.active ? null : <span class="pill inactive">Deactivated</span>}
        {p.roles.map((r) => (
          <span class="pill">{ROLE_LABELS[r] ?? r}</span>
        ))}
        {leads.map((t) => (
          <span class="pill">Leads {t.unitName}</span>
        ))}
        {member.length ? (
          <span class="muted">{member.map((t) => t.unitName).join(', ')}</span>
        ) : null}
        {p.canSignIn ? null : <span class="muted"> · no password</span>}
      </div>
    </li>
  );
}

function pageLink(organisationId: string, filters: PeopleFilters, offset: number): string {
  const q = new URLSearchParams();
  if (filters.search) q.set('search', filters.search);
  if (filters.unitId) q.set('unitId', filters.unitId);
  if (filters.role) q.set('role', filters.role);
  if (filters.status && filters.status !== 'all') q.set('status', filters.status);
  if (offset) q.set('offset', String(offset));
  const query = q.toString();
  return `${consolePaths.people(organisationId)}${query ? `?${query}` : ''}`;
}

/** Everyone in the organisation, searched and filtered; a list that reads well on a phone. */
export function PeoplePage({ organisationId, list, filters, teams, notice }: PeoplePageProps) {
  const { viewer } = usePage();
  const admin = viewer?.roles.includes('admin') ?? false;
  const first = list.total ? list.offset + 1 : 0;
  const last = list.offset + list.items.length;
  return (
    <Layout title="People">
      <h1>People</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <section class="card" aria-labelledby="find-h">
        <h2 id="find-h">Find people</h2>
        <form method="get" action={consolePaths.people(organisationId)} class="stack">
          <div class="toolbar">
            <div class="field">
              <label for="search">Name or email</label>
              <input id="search" name="search" type="search" value={filters.search ?? ''} />
            </div>
            <div class="field">
              <label for="unitId">Team</label>
              <select id="unitId" name="unitId">
                <option value="">Any team</option>
                {teams.map((t) => (
                  <option value={t.id} selected={filters.unitId === t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="role">Role</label>
              <select id="role" name="role">
                <option value="">Any role</option>
                <option value="admin" selected={filters.role === 'admin'}>
                  Admin
                </option>
                <option value="hr" selected={filters.role === 'hr'}>
                  HR
                </option>
                <option value="leader" selected={filters.role === 'leader'}>
                  Team leader
                </option>
                <option value="member" selected={filters.role === 'member'}>
                  Team member
                </option>
              </select>
            </div>
            <div class="field">
              <label for="status">Status</label>
              <select id="status" name="status">
                <option value="all" selected={!filters.status || filters.status === 'all'}>
                  Everyone
                </option>
                <option value="active" selected={filters.status === 'active'}>
                  Active
                </option>
                <option value="inactive" selected={filters.status === 'inactive'}>
                  Deactivated
                </option>
              </select>
            </div>
            <button type="submit">Show</button>
          </div>
        </form>
      </section>
      {admin ? (
        <section class="card" aria-labelledby="invite-h">
          <h2 id="invite-h">Sign-in invitations</h2>
          <p>
            Team leaders, HR and admins need a password to sign in. Team members do not: they answer
            surveys from the personal link in each survey email.
          </p>
          <p>
            <a class="button secondary" href={consolePaths.signInInvitations(organisationId)}>
              Invite everyone imported
            </a>
          </p>
        </section>
      ) : null}
      <section class="card" aria-labelledby="list-h">
        <h2 id="list-h">
          {list.total === 0
            ? 'Nobody matches'
            : `${first}–${last} of ${list.total} ${list.total === 1 ? 'person' : 'people'}`}
        </h2>
        <ul class="people">
          {list.items.map((p) => (
            <PersonRow organisationId={organisationId} p={p} />
          ))}
        </ul>
        {list.total > list.limit ? (
          <nav class="pager" aria-label="Pages">
            {list.offset > 0 ? (
              <a href={pageLink(organisationId, filters, Math.max(0, list.offset - list.limit))}>
                Previous
              </a>
            ) : null}
            {last < list.total ? (
              <a href={pageLink(organisationId, filters, list.offset + list.limit)}>Next</a>
            ) : null}
          </nav>
        ) : null}
      </section>
    </Layout>
  );
}
