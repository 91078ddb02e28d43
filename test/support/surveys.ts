import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CampaignsService,
  InvitationsService,
  RoundsService,
  type CampaignInput,
} from '@trellis/surveys';
import type { OrgFixture } from './fixtures';

/**
 * A campaign whose round is open right now (daily, opened five minutes ago, open for most of a day),
 * opened and invited through the real services. Pass overrides to change the schedule.
 */
export async function openRoundNow(
  app: INestApplication,
  org: OrgFixture,
  overrides: Partial<CampaignInput> = {},
): Promise<{ campaignId: string; roundId: string }> {
  const now = new Date();
  const lastWeek = new Date(now.getTime() - 8 * 86_400_000).toISOString().slice(0, 10);
  // Daily at a minute that passed five minutes ago, open for most of a day: open now, whatever the hour.
  const opened = new Date(now.getTime() - 5 * 60_000);
  const campaign = await app.get(CampaignsService).create(org.orgId, org.hr.id, {
    name: 'Test pulse',
    form: 'short',
    cadence: 'cron',
    cron: `${opened.getUTCMinutes()} ${opened.getUTCHours()} * * *`,
    timezone: 'UTC',
    openDays: 0.9,
    reminderDays: [],
    leaderSelfView: true,
    startsOn: lastWeek,
    teamIds: [org.teamId, org.otherTeamId],
    ...overrides,
  });
  const rounds = app.get(RoundsService);
  const due = await rounds.dueWork(now);
  const open = due.open.find((o) => o.campaignId === campaign.id);
  if (!open) throw new Error('the test campaign has no current period');
  // A worker running beside the test may open the same period first (its scheduler ticks): the
  // round is then already there, which is just as good.
  const roundId =
    (await rounds.open(campaign.id, open.opensAt, now)) ??
    (
      await app
        .get(DataSource)
        .query<{ id: string }[]>(`select id from round where campaign_id = $1 and opens_at = $2`, [
          campaign.id,
          open.opensAt,
        ])
    )[0]?.id;
  if (!roundId) throw new Error('the round did not open');
  await app.get(InvitationsService).invite(roundId);
  return { campaignId: campaign.id, roundId };
}
