/**
 * Where a round is in its life: open; closing (its closing time has passed or someone asked to
 * close it, and the worker has not yet); closed and waiting for aggregation; aggregated; or
 * recomputing (aggregated on an older basis than the organisation's current one).
 */
export type RoundState = 'open' | 'closing' | 'aggregating' | 'aggregated' | 'recomputing';

export interface RoundReminderView {
  requestedAt: Date;
  /** When the worker had gone through everyone who had not answered; null while it is going. */
  sentAt: Date | null;
}

/**
 * Who sees which rounds: the organisation, or a leader. A leader manages (opens the page of,
 * closes, reminds) a round whose every team they lead; the home panel also lists the open rounds
 * that merely include one of their teams, counted over their teams only.
 */
export type RoundScope = { kind: 'organisation' } | { kind: 'leader'; personId: string };

/** An open round on a home page: participation summed over its teams, each in steps of k. */
export interface LiveRoundView {
  id: string;
  campaignId: string | null;
  campaignName: string | null;
  timezone: string | null;
  opensAt: Date;
  closesAt: Date;
  state: RoundState;
  invited: number;
  answered: number;
  responseRate: number | null;
  /** Whether the viewer may open the round's page (HR, admins, a leader of every team in it). */
  manageable: boolean;
  /** For a leader, the teams of theirs the counts cover (a round may hold other teams too). */
  teamNames: string[];
}

const STATE = `case
    when r.status = 'open' and (r.close_requested_at is not null or r.closes_at <= now()) then 'closing'
    when r.status = 'open' then 'open'
    when r.aggregated_at is null then 'aggregating'
    when r.results_epoch is distinct from o.results_epoch then 'recomputing'
    else 'aggregated' end`;

export const ROUND = `select r.id, r.organisation_id as "organisationId", r.campaign_id as "campaignId",
  c.name as "campaignName", c.timezone, r.status, ${STATE} as state, r.source, r.form,
  r.sequence, to_char(r.period_start, 'YYYY-MM-DD') as "periodStart", to_char(r.period_end, 'YYYY-MM-DD') as "periodEnd",
  r.opens_at as "opensAt", r.closes_at as "closesAt", r.closed_at as "closedAt",
  r.close_requested_at as "closeRequestedAt", r.aggregated_at as "aggregatedAt", r.item_keys as "itemKeys",
  r.reminders_sent as "remindersSent", coalesce(cardinality(c.reminder_days), 0) as "remindersPlanned"
  from round r join organisation o on o.id = r.organisation_id left join campaign c on c.id = r.campaign_id`;

// The units a leader leads, and everything below them (as the access rules and campaign lists read it).
const LED = `with recursive led(id) as (
    select m.unit_id from membership m where m.person_id = $2 and m.role = 'leader'
    union select u.id from unit u join led on u.parent_id = led.id)`;

/** $1 the organisation, $2 the leader (null for the organisation's view). */
export function openRoundsSql(scope: RoundScope): string {
  const leader = scope.kind === 'leader';
  const mine = leader ? 'rt.unit_id in (select id from led)' : 'true';
  return `${leader ? LED : ''}
    select r.id, r.campaign_id as "campaignId", c.name as "campaignName", c.timezone,
           r.opens_at as "opensAt", r.closes_at as "closesAt", ${STATE} as state,
           ${
             leader
               ? `not exists (select 1 from round_team t where t.round_id = r.id and t.unit_id not in (select id from led))`
               : 'true'
           } as manageable,
           coalesce((select json_agg(json_build_object('invited', rt.invited, 'name', u.name,
               'answered', (select count(*) from participation p where p.round_id = rt.round_id
                              and p.unit_id = rt.unit_id and p.kind = 'member')) order by u.name)
              from round_team rt join unit u on u.id = rt.unit_id
             where rt.round_id = r.id and ${mine}), '[]') as teams
      from round r join organisation o on o.id = r.organisation_id left join campaign c on c.id = r.campaign_id
     where r.organisation_id = $1 and r.status = 'open'
       and ${leader ? `exists (select 1 from round_team rt where rt.round_id = r.id and ${mine})` : '$2::uuid is null'}
     order by r.closes_at, r.id`;
}
