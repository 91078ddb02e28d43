import type { CampaignDetail } from '@trellis/surveys';
import { Notice, TableWrap } from '../views/components';
import { Layout } from '../views/layout';
import { consolePaths } from '../views/navigation';
import { cadenceText, when } from './campaign-text';

export interface CampaignsPageProps {
  orgId: string;
  campaigns: CampaignDetail[];
  instrumentNames: Record<string, string>;
  teamNames: Record<string, string>;
  /** True for a leader: the list holds only campaigns over teams they lead. */
  leaderOnly: boolean;
  notice?: string;
}

/** The campaigns a person may run, each with what it asks, of whom, how often and what comes next. */
export function CampaignsPage(props: CampaignsPageProps) {
  return (
    <Layout title="Campaigns">
      <h1>Campaigns</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <p>
        A campaign opens a round of the pulse for its teams on its cadence, reminds those who have
        not answered, and closes the round.
        {props.leaderOnly ? ' You see the campaigns over teams you lead.' : ''}
      </p>
      <p>
        <a class="button" href={consolePaths.newCampaign(props.orgId)}>
          New campaign
        </a>
      </p>
      {props.campaigns.length === 0 ? (
        <p>No campaigns yet.</p>
      ) : (
        <TableWrap label="Campaigns">
          <table class="campaigns">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Questionnaire</th>
                <th scope="col">Teams</th>
                <th scope="col">Cadence</th>
                <th scope="col">State</th>
                <th scope="col">Next round opens</th>
              </tr>
            </thead>
            <tbody>
              {props.campaigns.map((c) => (
                <tr>
                  <th scope="row">
                    <a href={consolePaths.campaign(c.id)}>{c.name}</a>
                    <br />
                    <a class="muted" href={consolePaths.campaignRounds(c.id)}>
                      Rounds
                    </a>
                  </th>
                  <td>{props.instrumentNames[c.instrumentId] ?? 'Questionnaire'}</td>
                  <td>
                    {c.teamIds
                      .map((id) => props.teamNames[id] ?? 'a team')
                      .sort((a, b) => a.localeCompare(b))
                      .join(', ')}
                  </td>
                  <td>
                    {cadenceText(c)}
                    <br />
                    <span class="muted">{c.timezone}</span>
                  </td>
                  <td>
                    {c.active ? (
                      <span class="pill">Active</span>
                    ) : (
                      <span class="pill inactive">Paused</span>
                    )}
                  </td>
                  <td>
                    {c.nextRounds[0]
                      ? when(c.nextRounds[0].opensAt, c.timezone)
                      : c.active
                        ? 'None scheduled'
                        : 'None while paused'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Layout>
  );
}
