import { ErrorSummary, Notice, PostForm, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import type { PersonDetailView, TeamOption } from './people-directory.service';

export interface PersonPageProps {
  person: PersonDetailView;
  teams: TeamOption[];
  notice?: string;
  /** Why the last change was refused, in words for people. */
  problem?: string;
}

const ROLES = [
  { role: 'hr', label: 'HR', what: 'sees the whole organisation, its people and the audit log' },
  { role: 'admin', label: 'Admin', what: 'also grants roles and changes the settings' },
] as const;

const when = (d: Date) =>
  new Date(d).toLocaleString('en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }) + ' UTC';

/** One person: their teams, roles, whether they can sign in, and what the viewer may change. */
export function PersonPage({ person, teams, notice, problem }: PersonPageProps) {
  const org = person.organisationId;
  const base = consolePaths.person(org, person.id);
  const led = new Set(person.teams.filter((t) => t.role === 'leader').map((t) => t.unitId));
  const leadable = teams.filter((t) => !led.has(t.id));
  return (
    <Layout title={person.name}>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={consolePaths.people(org)}>People</a>
      </nav>
      <h1>{person.name}</h1>
      <p class="muted">{person.email}</p>
      {notice ? <Notice>{notice}</Notice> : null}
      <ErrorSummary problems={problem ? [{ field: 'main', message: problem }] : []} />

      <section class="card" aria-labelledby="status-h">
        <h2 id="status-h">Status and sign-in</h2>
        <p>
          {person.active ? (
            <span class="pill">Active</span>
          ) : (
            <span class="pill inactive">Deactivated</span>
          )}{' '}
          {person.canSignIn ? 'Has a password.' : 'Has no password yet.'}
          {person.pendingLink
            ? ` A ${person.pendingLink.purpose === 'invite' ? 'sign-in invitation' : 'password reset link'} ${
                person.pendingLink.sent ? 'was sent and works' : 'is being sent and will work'
              } until ${when(person.pendingLink.expiresAt)}.`
            : ''}
        </p>
        {person.active && person.allowed.invite ? (
          <PostForm action={`${base}/sign-in-invitation`} class="inline">
            <button type="submit" class="secondary">
              {person.canSignIn ? 'Send a link to set a new password' : 'Send sign-in invitation'}
            </button>
          </PostForm>
        ) : null}
        {person.allowed.deactivate ? (
          person.active ? (
            <>
              <p class="hint" id="deactivate-hint">
                Deactivated, {person.name} cannot sign in, their sessions and API tokens stop at
                once, and they are not invited to new survey rounds. What they answered before stays
                in the results.
              </p>
              <PostForm action={`${base}/activation`} class="inline">
                <input type="hidden" name="change" value="deactivate" />
                <button type="submit" class="danger" aria-describedby="deactivate-hint">
                  Deactivate
                </button>
              </PostForm>
            </>
          ) : (
            <PostForm action={`${base}/activation`} class="inline">
              <input type="hidden" name="change" value="reactivate" />
              <button type="submit" class="secondary">
                Reactivate
              </button>
            </PostForm>
          )
        ) : (
          <p class="muted">Only an admin can deactivate or invite someone who holds HR or admin.</p>
        )}
      </section>

      <section class="card" aria-labelledby="roles-h">
        <h2 id="roles-h">Organisation roles</h2>
        <ul class="roles">
          {ROLES.map(({ role, label, what }) => {
            const has = person.roles.includes(role);
            return (
              <li>
                <span>
                  <strong>{label}</strong>: {has ? 'yes' : 'no'}
                  <br />
                  <span class="muted">
                    {label} {what}.
                  </span>
                </span>
                {person.allowed.grantRoles ? (
                  <PostForm action={`${base}/roles`} class="inline">
                    <input type="hidden" name="role" value={role} />
                    <input type="hidden" name="change" value={has ? 'revoke' : 'grant'} />
                    <button type="submit" class="secondary">
                      {has ? `Revoke ${label}` : `Grant ${label}`}
                    </button>
                  </PostForm>
                ) : null}
              </li>
            );
          })}
        </ul>
        {person.allowed.grantRoles ? null : (
          <p class="muted">Only an admin can grant or revoke HR and admin.</p>
        )}
      </section>

      <section class="card" aria-labelledby="teams-h">
        <h2 id="teams-h">Teams</h2>
        {person.teams.length ? (
          <TableWrap label="Teams">
            <table>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Role</th>
                  {person.allowed.lead ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {person.teams.map((t) => (
                  <tr>
                    <td>
                      <a href={consolePaths.unitReport(t.unitId)}>{t.unitName}</a>
                    </td>
                    <td>{t.role === 'leader' ? 'Leader' : 'Member'}</td>
                    {person.allowed.lead ? (
                      <td>
                        <PostForm action={`${base}/leads`} class="inline">
                          <input type="hidden" name="unitId" value={t.unitId} />
                          <input
                            type="hidden"
                            name="change"
                            value={t.role === 'leader' ? 'remove' : 'add'}
                          />
                          <button type="submit" class="link">
                            {t.role === 'leader'
                              ? `Remove as leader of ${t.unitName}`
                              : `Make leader of ${t.unitName}`}
                          </button>
                        </PostForm>
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : (
          <p>Not in any team.</p>
        )}
        {person.allowed.lead && leadable.length ? (
          <PostForm action={`${base}/leads`} class="stack">
            <input type="hidden" name="change" value="add" />
            <div class="field">
              <label for="unitId">Make leader of</label>
              <p class="hint" id="unitId-hint">
                A team leader sees their team’s report and the teams below it. Removed as leader, a
                person stays in the team as a member.
              </p>
              <select id="unitId" name="unitId" aria-describedby="unitId-hint">
                {leadable.map((t) => (
                  <option value={t.id}>{t.name}</option>
                ))}
              </select>
            </div>
            <button type="submit">Make leader</button>
          </PostForm>
        ) : null}
      </section>
    </Layout>
  );
}
