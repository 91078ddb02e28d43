import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { affected } from '@trellis/database';
import { notFound } from '@trellis/errors';
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

@Injectable()
export class ApiTokensService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The secret is returned here once and never again; only its hash is kept. */
  async create(principal: Principal, name: string): Promise<ApiTokenView & { token: string }> {
    const token = newSecret(API_TOKEN_PREFIX);
    const [row]: { id: string }[] = await this.db.query(
      `insert into api_token (organisation_id, person_id, name, token_hash, token_hint)
       values ($1, $2, $3, $4, $5) returning id`,
      [
        principal.organisationId,
        principal.personId,
        name.trim(),
        hashSecret(token),
        `…${token.slice(-4)}`,
      ],
    );
    return { ...(await this.get(row.id)), token };
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

  /** Revoking twice is fine; the first revocation time is kept. */
  async revoke(id: string): Promise<ApiTokenView> {
    await this.db.query(
      `update api_token set revoked_at = coalesce(revoked_at, now()) where id = $1`,
      [id],
    );
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
