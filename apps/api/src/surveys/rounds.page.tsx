import type { ComponentChildren } from 'preact';
import type { CampaignView, RoundView } from '@trellis/surveys';
import { Notice, PostForm, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { LocalTime, zoneName } from './round-time';
import { STATE_LABELS, StatePill } from './round-state';

type RoundSummary = Omit<RoundView, 'teams' | 'requestedReminders' | 'imported' | 'answeredStep'>;

function roundTitle(
  round: Pick<RoundSummary, 'campaignName' | 'sequence' | 'source' | 'periodStart' | 'periodEnd'>,
) {
  if (round.source === 'import') return `Imported round ${round.periodStart} to ${round.periodEnd}`;
  return `${round.campaignName ?? 'Campaign'}: round ${round.sequence + 1}`;
}

function percent(rate: number | null): string {
  return rate === null ? '–' : `${Math.round(rate * 100)} %`;
}

/** A campaign's rounds, newest first: when each opens and closes (in the campaign's zone) and where it is. */
export function CampaignRoundsPage({
  campaign,
  rounds,
}: {
  campaign: CampaignView;
  rounds: RoundSummary[];
}) {
  return (
    <Layout title={`Rounds of ${campaign.name}`}>
      <h1>Rounds of {campaign.name}</h1>
      <p class="muted">
        Times are in the campaign’s time zone, {zoneName(campaign.timezone)}.
        {campaign.active ? '' : ' The campaign is paused: no new rounds open.'}
      </p>
      <section class="card" aria-labelledby="rounds-h">
        <h2 id="rounds-h">Rounds</h2>
        {rounds.length ? (
          <ul class="open-rounds">
            {rounds.map((r) => (
              <li>
                <a href={consolePaths.round(r.id)}>Round {r.sequence + 1}</a>
                <span>
                  opens <LocalTime at={r.opensAt} timezone={r.timezone} />,{' '}
                  {r.closedAt ? 'closed' : 'closes'}{' '}
                  <LocalTime at={r.closedAt ?? r.closesAt} timezone={r.timezone} />
                </span>
                <span>
                  <StatePill state={r.state} />
                  <span class="muted">
                    period {r.periodStart} to {r.periodEnd}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p>No round has opened yet. The first opens on the campaign’s schedule.</p>
        )}
      </section>
      <p>
        <a href={consolePaths.home}>Back to home</a>
      </p>
    </Layout>
  );
}

function Participation({ round }: { round: RoundView }) {
  if (round.imported)
    return (
      <section class="card" aria-labelledby="part-h">
        <h2 id="part-h">What it holds</h2>
        <p>
          Imported: {round.imported.respondents} respondent
          {round.imported.respondents === 1 ? '’s answers' : 's’ answers'} in {round.imported.teams}{' '}
          team{round.imported.teams === 1 ? '' : 's'}.
        </p>
      </section>
    );
  const open = round.answeredStep !== null;
  return (
    <section class="card" aria-labelledby="part-h">
      <h2 id="part-h">Participation</h2>
      {open ? (
        <p class="hint">
          While the round is open, answered counts move only in whole steps of {round.answeredStep},
          your organisation’s minimum group size, so nobody can tell when one person answered. Exact
          once the round has closed. Answers themselves are never shown here.
        </p>
      ) : null}
      <TableWrap label="Participation per team">
        <table>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Invited</th>
              <th scope="col">Answered</th>
              <th scope="col">Response rate</th>
            </tr>
          </thead>
          <tbody>
            {round.teams.map((t) => (
              <tr>
                <th scope="row">
                  {open ? t.name : <a href={consolePaths.unitReport(t.unitId)}>{t.name}</a>}
                </th>
                <td>{t.invited}</td>
                <td>
                  {open && t.answered === 0 ? `fewer than ${round.answeredStep}` : t.answered}
                </td>
                <td>{percent(t.responseRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function Reminders({ round }: { round: RoundView }) {
  if (round.source === 'import') return null;
  const open = round.state === 'open';
  return (
    <section class="card" aria-labelledby="remind-h">
      <h2 id="remind-h">Reminders</h2>
      <p>
        Scheduled reminders sent: {round.remindersSent} of {round.remindersPlanned}.
      </p>
      {round.requestedReminders.length ? (
        <ul>
          {round.requestedReminders.map((r) => (
            <li>
              Asked for <LocalTime at={r.requestedAt} timezone={round.timezone} />:{' '}
              {r.sentAt ? (
                <>
                  sent <LocalTime at={r.sentAt} timezone={round.timezone} />
                </>
              ) : (
                'going out'
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No reminder was asked for by hand.</p>
      )}
      {open ? (
        <p>
          <a class="button secondary" href={consolePaths.roundRemind(round.id)}>
            Send a reminder now
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** One round: when, where it is, participation per team in steps of k, reminders, and the two actions. */
export function RoundPage({ round, notice }: { round: RoundView; notice?: string }) {
  const title = roundTitle(round);
  return (
    <Layout title={title}>
      <h1>{title}</h1>
      {notice ? <Notice>{notice}</Notice> : null}
      <section class="card" aria-labelledby="when-h">
        <h2 id="when-h">When</h2>
        <ul class="facts">
          <li>
            <span class="muted">State</span>
            <strong>
              <StatePill state={round.state} />
            </strong>
          </li>
          <li>
            <span class="muted">Opens</span>
            <strong>
              <LocalTime at={round.opensAt} timezone={round.timezone} />
            </strong>
          </li>
          <li>
            <span class="muted">{round.status === 'open' ? 'Closes' : 'Closed'}</span>
            <strong>
              <LocalTime at={round.closedAt ?? round.closesAt} timezone={round.timezone} />
            </strong>
          </li>
          {round.aggregatedAt && round.state === 'aggregated' ? (
            <li>
              <span class="muted">Results computed</span>
              <strong>
                <LocalTime at={round.aggregatedAt} timezone={round.timezone} />
              </strong>
            </li>
          ) : null}
        </ul>
        <p class="muted">
          Times in {zoneName(round.timezone)}. Period {round.periodStart} to {round.periodEnd}.
          {round.closeRequestedAt ? ' Closed early, on request.' : ''}
        </p>
        {round.state === 'open' ? (
          <p>
            <a class="button secondary" href={consolePaths.roundClose(round.id)}>
              Close now
            </a>
          </p>
        ) : null}
      </section>
      <Participation round={round} />
      <Reminders round={round} />
      {round.campaignId ? (
        <p>
          <a href={consolePaths.campaignRounds(round.campaignId)}>
            All rounds of {round.campaignName}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function ConfirmPage({
  round,
  heading,
  action,
  button,
  children,
}: {
  round: RoundView;
  heading: string;
  action: string;
  button: string;
  children: ComponentChildren;
}) {
  return (
    <Layout title={heading}>
      <h1>{heading}</h1>
      <section class="card">
        {round.state === 'open' ? (
          <>
            <p>
              <strong>{roundTitle(round)}</strong>, closes{' '}
              <LocalTime at={round.closesAt} timezone={round.timezone} /> (
              {zoneName(round.timezone)}).
            </p>
            {children}
            <PostForm action={action} class="inline">
              <button type="submit" class="button danger">
                {button}
              </button>
            </PostForm>
          </>
        ) : (
          <p>
            <strong>{roundTitle(round)}</strong> is no longer open (
            {STATE_LABELS[round.state].toLowerCase()}): there is nothing to do.
          </p>
        )}
        <p>
          <a href={consolePaths.round(round.id)}>Back to the round</a>
        </p>
      </section>
    </Layout>
  );
}

export function CloseRoundPage({ round }: { round: RoundView }) {
  return (
    <ConfirmPage
      round={round}
      heading="Close this round now?"
      action={consolePaths.roundClose(round.id)}
      button="Yes, close the round now"
    >
      <p>
        Answer links stop working at once and nobody else can answer. The results are then computed
        as at a scheduled close, and teams with fewer than the minimum group size stay hidden. This
        cannot be undone.
      </p>
    </ConfirmPage>
  );
}

export function RemindRoundPage({ round }: { round: RoundView }) {
  return (
    <ConfirmPage
      round={round}
      heading="Send a reminder now?"
      action={consolePaths.roundRemind(round.id)}
      button="Yes, send the reminder"
    >
      <p>
        Everyone invited who has not answered yet gets an email with a new answer link. Nobody who
        answered is mailed, and nobody is reminded twice within 10 minutes, however often this is
        asked for.
      </p>
    </ConfirmPage>
  );
}
