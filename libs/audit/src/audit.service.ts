import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
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
  actor: { personId: string | null; email: string | null; via: string };
  action: string;
  target: { kind: string | null; id: string | null };
  detail: Record<string, unknown>;
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

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async list(
    organisationId: string,
    options: { limit: number; before?: string; action?: string },
  ): Promise<{ events: AuditEvent[]; nextBefore: string | null }> {
    const rows = await this.db.query<
      {
        id: string;
        at: Date;
        personId: string | null;
        email: string | null;
        via: string;
        action: string;
        targetKind: string | null;
        targetId: string | null;
        detail: Record<string, unknown>;
      }[]
    >(
      `select id::text, at, actor_person_id as "personId", actor_email as email, via, action,
              target_kind as "targetKind", target_id as "targetId", detail
         from audit_event
        where organisation_id = $1 and ($2::bigint is null or id < $2::bigint)
          and ($3::text is null or action = $3)
        order by audit_event.id desc limit $4`,
      [organisationId, options.before ?? null, options.action ?? null, options.limit + 1],
    );
    const page = rows.slice(0, options.limit);
    return {
      events: page.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        actor: { personId: r.personId, email: r.email, via: r.via },
        action: r.action,
        target: { kind: r.targetKind, id: r.targetId },
        detail: r.detail,
      })),
      nextBefore: rows.length > options.limit ? (page.at(-1)?.id ?? null) : null,
    };
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
