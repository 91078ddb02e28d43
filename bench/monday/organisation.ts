import type { Client } from 'pg';
import type { InstrumentVersion } from '../fixtures/instrument';
import { createFlatOrganisation } from '../fixtures/organisation';

export interface MondayOrganisation {
  organisationId: string;
  campaignId: string;
  people: number;
}

/**
 * An organisation of `teams` teams of `members` members each, every team in one campaign that
 * opens daily at midnight UTC and is open now (so a worker's first scheduler tick opens its
 * round), written with set-based SQL in one transaction. No leaders' self-views: one invitation
 * per person.
 */
export async function createMondayOrganisation(
  client: Client,
  version: InstrumentVersion,
  options: { teams: number; members: number },
): Promise<MondayOrganisation> {
  const { teams, members } = options;
  await client.query('begin');
  try {
    const orgId = await createFlatOrganisation(client, {
      slug: 'bench-monday',
      name: 'Bench Monday',
      teams,
    });
    await client.query(
      `create temp table bench_people on commit drop as
       select n, gen_random_uuid() as person_id, u.id as unit_id
         from generate_series(0, $2::int - 1) n join unit u on u.organisation_id = $1 and u.key = 't' || (n / $3::int)`,
      [orgId, teams * members, members],
    );
    await client.query(
      `insert into person (id, organisation_id, email, name)
       select person_id, $1, 'p' || n || '@monday.test', 'Member ' || n from bench_people`,
      [orgId],
    );
    await client.query(
      `insert into membership (organisation_id, person_id, unit_id, role)
       select $1, person_id, unit_id, 'member' from bench_people`,
      [orgId],
    );
    const {
      rows: [campaign],
    } = await client.query<{ id: string }>(
      `insert into campaign (organisation_id, name, instrument_id, form, cadence, cron, timezone, open_days,
         leader_self_view, starts_on)
       select $1, 'Monday pulse', v.instrument_id, 'full', 'cron', '0 0 * * *', 'UTC', 1, false, current_date - 1
         from instrument_version v where v.id = $2
       returning id`,
      [orgId, version.id],
    );
    await client.query(
      `insert into campaign_team (organisation_id, campaign_id, unit_id)
       select $1, $2, id from unit where organisation_id = $1 and kind = 'team'`,
      [orgId, campaign.id],
    );
    await client.query('commit');
    await client.query('vacuum (analyze)');
    return { organisationId: orgId, campaignId: campaign.id, people: teams * members };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
