import type { LiveRoundView } from '@trellis/surveys';
import { LocalTime, zoneName } from '../surveys/round-time';
import { consolePaths } from '../views/navigation';

/**
 * The rounds open now, closing soonest first, with how many answered of how many invited. The
 * counts come from the one gate (libs/anonymity liveParticipation): whole steps of k per team.
 */
export function OpenRoundsPanel({
  rounds,
  everyone,
}: {
  rounds: LiveRoundView[];
  everyone: boolean;
}) {
  return (
    <section class="card" aria-labelledby="open-now-h">
      <h2 id="open-now-h">Open now</h2>
      {rounds.length ? (
        <ul class="open-rounds">
          {rounds.map((r) => (
            <li>
              {r.manageable ? (
                <a href={consolePaths.round(r.id)}>{r.campaignName ?? 'Round'}</a>
              ) : (
                <strong>{r.campaignName ?? 'Round'}</strong>
              )}
              {r.teamNames.length ? (
                <span class="muted">your teams: {r.teamNames.join(', ')}</span>
              ) : null}
              <span>
                {r.state === 'closing' ? 'closing now' : 'closes '}
                {r.state === 'closing' ? null : <LocalTime at={r.closesAt} timezone={r.timezone} />}
                <span class="muted"> ({zoneName(r.timezone)})</span>
              </span>
              <span>
                answered <strong>{r.answered}</strong> of {r.invited}
                <span class="muted"> (moves in steps, so no single answer shows)</span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">
          {everyone
            ? 'No round is open in your organisation right now.'
            : 'No round of your teams is open right now.'}
        </p>
      )}
    </section>
  );
}
