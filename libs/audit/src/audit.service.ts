import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalid, type FieldProblem } from '@trellis/errors';
import type { Sql } from '@trellis/database';

/** Who did it: a signed-in person, an API token acting for one, or Trellis itself. */
export interface AuditActor {
  organisationId: string;
  personId: string | null;
  email: string | null;
  via: 'session' | 'api_token' | 'system';
}

export interface AuditEntry {
  action: string;
  targetKind?: string;
  targetId?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: { personId: string | null; email: string | null; via: string; name: string | null };
  action: string;
  target: { kind: string | null; id: string | null; name: string | null };
  detail: Record<string, unknown>;
}

/**
 * Kinds of action HR and admins filter by, as patterns over action names (SQL LIKE). An action
 * may belong to more than one kind.
 */
export const AUDIT_KINDS = {
  views: { label: 'Views and reads', patterns: ['%.view', 'data.read'] },
  exports: { label: 'Exports', patterns: ['export.%'] },
  settings: { label: 'Settings', patterns: ['settings.%', 'organisation.%', 'notification%'] },
  roster: {
    label: 'Roster and people',
    patterns: ['roster.%', 'person.%', 'people.%', 'unit.%', 'membership.%'],
  },
  roles: {
    label: 'Roles, access and tokens',
    patterns: ['%role%', 'api_token.%', 'token.%', 'invitation.%', 'password.%', 'session.%'],
  },
  rounds: { label: 'Rounds closed early and reminders', patterns: ['round.%'] },
} as const satisfies Record<string, { label: string; patterns: readonly string[] }>;

export type AuditKind = keyof typeof AUDIT_KINDS;
export const AUDIT_KIND_NAMES = Object.keys(AUDIT_KINDS) as AuditKind[];

export interface AuditFilters {
  limit: number;
  /** The previous page's nextBefore. */
  before?: string;
  /** One action by its exact name. */
  action?: string;
  kind?: AuditKind;
  /** Who did it: a person's id. */
  actor?: string;
  /** Days, YYYY-MM-DD, both included, in UTC. */
  from?: string;
  to?: string;
}

export interface AuditActorOption {
  personId: string;
  label: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: string) => DAY.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Filters as they may arrive from a page's query string; every problem named by its field. */
function checkFilters(f: AuditFilters): void {
  const problems: FieldProblem[] = [];
  if (f.kind !== undefined && !Object.hasOwn(AUDIT_KINDS, f.kind))
    problems.push({ field: 'kind', message: `must be one of ${AUDIT_KIND_NAMES.join(', ')}` });
  if (f.actor !== undefined && !UUID.test(f.actor))
    problems.push({ field: 'actor', message: 'must be the id of a person' });
  if (f.before !== undefined && !/^[1-9][0-9]{0,17}$/.test(f.before))
    problems.push({ field: 'before', message: 'must be a nextBefore from a previous page' });
  if (f.action !== undefined && !/^[a-z_.]{1,60}$/.test(f.action))
    problems.push({ field: 'action', message: 'must be an action name such as report.view' });
  for (const field of ['from', 'to'] as const) {
    const value = f[field];
    if (value !== undefined && !isDay(value))
      problems.push({ field, message: 'must be a date that exists, written like 2026-11-23' });
  }
  if (f.from && f.to && isDay(f.from) && isDay(f.to) && f.to < f.from)
    problems.push({ field: 'to', message: 'must be on or after the first day' });
  if (problems.length) throw invalid(problems);
}

/**
 * The audit log: appended to, listed, never changed. The database refuses UPDATE, DELETE and
 * TRUNCATE on it, so not even a bug here could rewrite history.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Appends one entry. `tx` writes it inside the caller's transaction, so a change and its entry
   * are committed together or not at all.
   */
  async record(actor: AuditActor, entry: AuditEntry, tx?: Sql): Promise<void> {
    await (tx ?? this.db).query(
      `insert into audit_event (organisation_id, actor_person_id, actor_email, via, action, target_kind, target_id, detail)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        actor.organisationId,
        actor.personId,
        actor.email,
        actor.via,
        entry.action,
        entry.targetKind ?? null,
        entry.targetId ?? null,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }

  /** Newest first, filtered; `before` is the id of the last entry of the previous page. */
  async list(
    organisationId: string,
    filters: AuditFilters,
  ): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
    checkFilters(filters);
    const patterns = filters.kind ? [...AUDIT_KINDS[filters.kind].patterns] : null;
    const rows = await this.db.query<
      {
        id: string;
        at: Date;
        personId: string | null;
        email: string | null;
        actorName: string | null;
        via: string;
        action: string;
        targetKind: string | null;
        targetId: string | null;
        targetName: string | null;
        detail: Record<string, unknown>;
      }[]
    >(
      `select e.id::text, e.at, e.actor_person_id as "personId", e.actor_email as email,
              actor.name as "actorName", e.via, e.action,
              e.target_kind as "targetKind", e.target_id as "targetId",
              case e.target_kind
                when 'unit' then (select u.name from unit u where u.id = e.target_id and u.organisation_id = e.organisation_id)
                when 'person' then (select p.name from person p where p.id = e.target_id and p.organisation_id = e.organisation_id)
                when 'organisation' then (select o.name from organisation o where o.id = e.target_id and o.id = e.organisation_id)
              end as "targetName",
              e.detail
         from audit_event e
         left join person actor on actor.id = e.actor_person_id and actor.organisation_id = e.organisation_id
        where e.organisation_id = $1 and ($2::bigint is null or e.id < $2::bigint)
          and ($3::text is null or e.action = $3)
          and ($4::text[] is null or e.action like any($4::text[]))
          and ($5::uuid is null or e.actor_person_id = $5::uuid)
          and ($6::date is null or e.at >= $6::date::timestamp at time zone 'UTC')
          and ($7::date is null or e.at < ($7::date + 1)::timestamp at time zone 'UTC')
        order by e.id desc limit $8`,
      [
        organisationId,
        filters.before ?? null,
        filters.action ?? null,
        patterns,
        filters.actor ?? null,
        filters.from ?? null,
        filters.to ?? null,
        filters.limit + 1,
      ],
    );
    const page = rows.slice(0, filters.limit);
    return {
      events: page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { personId: r.personId, email: r.email, via: r.via, name: r.actorName },
        action: r.action,
        target: { kind: r.targetKind, id: r.targetId, name: r.targetName },
        detail: r.detail,
      })),
      nextBefore: rows.length > filters.limit ? (page.at(-1)?.id ?? null) : null,
    };
  }

  /** Everyone who appears as the actor of an entry, for the "who" filter; by name. */
  async actors(organisationId: string): Promise<AuditActorOption[]> {
    const rows = await this.db.query<{ personId: string; label: string }[]>(
      `select a.person_id as "personId",
              coalesce(p.name || ' (' || a.email || ')', a.email, a.person_id::text) as label
         from (select distinct on (actor_person_id) actor_person_id as person_id, actor_email as email
                 from audit_event
                where organisation_id = $1 and actor_person_id is not null
                order by actor_person_id, id desc) a
         left join person p on p.id = a.person_id and p.organisation_id = $1
        order by 2
        limit 1000`,
      [organisationId],
    );
    return rows;
  }
}

/** The actor of a request made by a signed-in person or an API token. */
export function actorOf(p: {
  organisationId: string;
  personId: string;
  email: string;
  via: 'session' | 'api_token';
}): AuditActor {
  return { organisationId: p.organisationId, personId: p.personId, email: p.email, via: p.via };
}
