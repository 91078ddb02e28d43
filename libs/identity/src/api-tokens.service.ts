import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { actorOf, AuditService, type AuditActor } from '@trellis/audit';
import { affected, returning } from '@trellis/database';
import { invalid, notFound, forbidden } from '@trellis/errors';
import type { Principal } from './principal';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from './secrets';

export interface ApiTokenView {
  id: string;
  name: string;
  tokenHint: string;
  createdBy: { id: string; name: string };
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const VIEW = `select t.id, t.name, t.token_hint as "tokenHint", json_build_object('id', p.id, 'name', p.name) as "createdBy",
  t.created_at as "createdAt", t.last_used_at as "lastUsedAt", t.revoked_at as "revokedAt"
  from api_token t join person p on p.id = t.person_id`;

export const API_TOKEN_NAME_MAX = 100;

/**
 * API tokens of an organisation, one use case for the JSON API and the tokens page: create (the
 * secret is in the answer once and never again), list with last use, revoke. Creating and
 * revoking are written to the audit log in the same transaction as the change.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The secret is returned here once and never again; only its hash is kept. */
  async create(principal: Principal, name: unknown): Promise<ApiTokenView & { token: string }> {
    // A leaked token must not outlive its own revocation by minting a successor: tokens are
    // made by a signed-in person only.
    if (principal.via === 'api_token')
      throw forbidden('an API token cannot create API tokens; sign in to make one');
    const trimmed = typeof name === 'string' ? name.trim() : '';
    if (!trimmed || trimmed.length > API_TOKEN_NAME_MAX || typeof name !== 'string')
      throw invalid({
        field: 'name',
        message: `must be 1 to ${API_TOKEN_NAME_MAX} characters: what the token is for`,
      });
    const token = newSecret(API_TOKEN_PREFIX);
    const hint = `…${token.slice(-4)}`;
    const id = await this.db.transaction(async (tx) => {
      const [row]: { id: string }[] = await tx.query(
        `insert into api_token (organisation_id, person_id, name, token_hash, token_hint)
         values ($1, $2, $3, $4, $5) returning id`,
        [principal.organisationId, principal.personId, trimmed, hashSecret(token), hint],
      );
      await this.audit.record(
        actorOf(principal),
        {
          action: 'api_token.create',
          targetKind: 'api_token',
          targetId: row.id,
          detail: { name: trimmed, tokenHint: hint },
        },
        tx,
      );
      return row.id;
    });
    return { ...(await this.get(id)), token };
  }

  async list(organisationId: string): Promise<ApiTokenView[]> {
    return this.db.query(`${VIEW} where t.organisation_id = $1 order by t.created_at desc, t.id`, [
      organisationId,
    ]);
  }

  async get(id: string): Promise<ApiTokenView> {
    const rows: ApiTokenView[] = await this.db.query(`${VIEW} where t.id = $1`, [id]);
    if (!rows[0]) throw notFound('API token');
    return rows[0];
  }

  /**
   * Revoking twice is fine; the first revocation time is kept, and only the first is an entry
   * in the audit log. The token stops working at once: every use checks `revoked_at`.
   */
  async revoke(id: string, actor: AuditActor): Promise<ApiTokenView> {
    await this.db.transaction(async (tx) => {
      const revoked = await returning<{ name: string; tokenHint: string }>(
        tx,
        `update api_token set revoked_at = now() where id = $1 and revoked_at is null
         returning name, token_hint as "tokenHint"`,
        [id],
      );
      if (revoked[0])
        await this.audit.record(
          actor,
          {
            action: 'api_token.revoke',
            targetKind: 'api_token',
            targetId: id,
            detail: { name: revoked[0].name, tokenHint: revoked[0].tokenHint },
          },
          tx,
        );
    });
    return this.get(id);
  }

  /** Forgets tokens revoked long ago; safe to run any number of times, from any worker. */
  async pruneRevoked(olderThanDays: number): Promise<number> {
    return affected(
      this.db,
      `delete from api_token where revoked_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
  }
}
