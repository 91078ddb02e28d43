import type { TeamLine, TeamsSummary } from '@trellis/reporting';
import { consolePaths } from '../views/navigation';
import { flagTitle } from './flag-card';

const QUADRANT_WORDS: Record<string, string> = {
  aligned_autonomy: 'aligned autonomy: room to decide and a shared direction (healthy)',
  abandonment_risk: 'abandonment risk: room to decide without shared direction',
  micromanagement_risk: 'micromanagement risk: a shared direction but little room to decide',
  adrift: 'adrift: neither room to decide nor a shared direction',
};

export const quadrantWords = (q: string | null) =>
  q ? (QUADRANT_WORDS[q] ?? q) : 'no position: a dimension it needs has no score';

/**
 * Where a unit sits. The quadrant describes one team's leadership; a department's teams each
 * have their own, and their average describes none of them, so a unit with teams under it says
 * so instead of "unknown".
 */
export function QuadrantLine({
  quadrant,
  groupOfTeams,
}: {
  quadrant: string | null;
  groupOfTeams: boolean;
}) {
  if (groupOfTeams && quadrant === null)
    return (
      <p id="quadrant">
        Where it sits: <strong>not applicable to a group of teams</strong>. Each team has its own
        position; see the teams below.
      </p>
    );
  return (
    <p id="quadrant">
      Where the team sits: <strong>{quadrantWords(quadrant)}</strong>.
    </p>
  );
}

/** "7 of 8 answered", or the count alone where invitations are unknown. */
export const answeredOf = (respondents: number, invited: number | null) =>
  invited === null ? `${respondents} answered` : `${respondents} of ${invited} answered`;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function TeamItem({ team }: { team: TeamLine }) {
  return (
    <li data-team={team.id}>
      <a href={consolePaths.unitReport(team.id)}>{team.name}</a>{' '}
      <span class="muted">({answeredOf(team.respondents, team.invited)})</span>
      <br />
      {!team.shown ? (
        <span class="muted">Results not shown, to keep its answers anonymous.</span>
      ) : team.flags.length ? (
        <span>
          Flagged:{' '}
          {team.flags.map((f, i) => (
            <>
              {i > 0 ? '; ' : ''}
              <span class={`level ${f.level === 'confirmed' ? 'confirmed' : 'watch'}`}>
                {f.level === 'confirmed' ? 'Confirmed' : 'Watch'}
              </span>{' '}
              <span data-flag={f.code}>{flagTitle(f.code)}</span>
            </>
          ))}
        </span>
      ) : (
        <span>Nothing flagged.</span>
      )}
    </li>
  );
}

/**
 * The teams under a department or the organisation in the latest round: how many were flagged,
 * which, and links to each. Only teams whose own results may be shown say anything about flags;
 * a hidden team is listed with its count alone.
 */
export function TeamsOverview({ summary }: { summary: TeamsSummary }) {
  const { teams, flagged, shownTeams } = summary;
  const hidden = teams.length - shownTeams;
  return (
    <section class="card keep" aria-labelledby="teams-h">
      <h2 id="teams-h">The teams</h2>
      {teams.length ? (
        <p id="teams-flagged">
          <strong>
            {flagged === 0
              ? 'No team was flagged'
              : `${plural(flagged, 'team was', 'teams were')} flagged`}
          </strong>{' '}
          among the {plural(shownTeams, 'team', 'teams')} whose results may be shown
          {hidden > 0 ? `; ${plural(hidden, 'team is', 'teams are')} not shown` : ''}.
        </p>
      ) : null}
      {teams.length ? (
        <ul class="team-lines">
          {teams.map((t) => (
            <TeamItem team={t} />
          ))}
        </ul>
      ) : (
        <p>No team below this unit took part in this round.</p>
      )}
    </section>
  );
}
