import type { UnitView } from '@trellis/organisation';
import type { LiveRoundView } from '@trellis/surveys';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { usePage } from '../views/page-context';
import { OpenRoundsPanel } from './open-rounds-panel';

export interface HomePageProps {
  /** The teams this person leads, and the units below them. */
  led: UnitView[];
  /** Rounds open now: all of the organisation's for HR and admins, a leader's own teams' otherwise. */
  openRounds: LiveRoundView[];
}

function UnitList({ units }: { units: UnitView[] }) {
  return (
    <ul class="units">
      {units.map((u) => (
        <li>
          <span>
            <span class="kind">{u.kind}</span>
            <br />
            <a href={consolePaths.unitReport(u.id)}>{u.name}</a>
          </span>
          <span class="muted">
            {u.memberCount} member{u.memberCount === 1 ? '' : 's'}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Where each person starts: a leader at their teams; HR at the organisation; an admin also at
 * setup. One page, so a person with several roles sees each part once.
 */
export function HomePage({ led, openRounds }: HomePageProps) {
  const { viewer } = usePage();
  const org = viewer!.organisationId;
  const hr = viewer!.roles.includes('hr');
  const admin = viewer!.roles.includes('admin');
  const teams = led.filter((u) => u.kind !== 'organisation');
  return (
    <Layout title="Home">
      <h1>Welcome, {viewer!.name}</h1>
      {hr || admin || teams.length ? (
        <OpenRoundsPanel rounds={openRounds} everyone={hr || admin} />
      ) : null}
      {hr || admin ? (
        <section class="card" aria-labelledby="org-h">
          <h2 id="org-h">Your organisation</h2>
          <ul>
            <li>
              <a href={consolePaths.overview(org)}>Organisation overview</a>: heatmap and
              participation
            </li>
            <li>
              <a href={consolePaths.people(org)}>People</a>: who is here, their teams and roles,
              invitations to sign in
            </li>
            <li>
              <a href={consolePaths.rosterImport(org)}>Roster import</a>: upload people and teams
              from a spreadsheet
            </li>
            <li>
              <a href={consolePaths.audit(org)}>Audit log</a>: who viewed, exported and changed what
            </li>
          </ul>
        </section>
      ) : null}
      {admin || hr ? (
        <section class="card" aria-labelledby="setup-h">
          <h2 id="setup-h">Setup</h2>
          <ul>
            <li>
              <a href={consolePaths.settings(org)}>Organisation settings</a>: anonymity, flags,
              notifications
            </li>
            <li>
              <a href={consolePaths.tokens(org)}>API tokens</a>: for scripts and other systems
            </li>
          </ul>
        </section>
      ) : null}
      <section class="card" aria-labelledby="teams-h">
        <h2 id="teams-h">Teams you lead</h2>
        {teams.length ? (
          <>
            <UnitList units={teams} />
            <p>
              <a href={consolePaths.campaigns(org)}>Campaigns for your teams</a>: when their pulse
              rounds open, and a new one
            </p>
          </>
        ) : (
          <p>
            {hr || admin
              ? 'You do not lead a team yourself.'
              : 'You do not lead any team yet. Ask HR to add you as a team leader.'}
          </p>
        )}
      </section>
    </Layout>
  );
}
