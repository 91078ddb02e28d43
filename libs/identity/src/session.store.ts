import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppConfig } from '@trellis/config';
import { REDIS } from '@trellis/redis';
import { hashSecret, newSecret, SESSION_PREFIX } from './secrets';

interface StoredSession {
  personId: string;
  organisationId: string;
  createdAt: string;
}

/**
 * Sessions live in Redis, keyed by the token's hash, so any API process can serve any request
 * and a leaked Redis dump holds no usable token.
 */
@Injectable()
export class SessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private key(tokenHash: string): string {
    return this.config.redisKey('session', tokenHash);
  }

  private personKey(personId: string): string {
    return this.config.redisKey('person-sessions', personId);
  }

  get ttlSeconds(): number {
    return Math.round(this.config.env.SESSION_TTL_HOURS * 3600);
  }

  async create(
    personId: string,
    organisationId: string,
  ): Promise<{ token: string; id: string; expiresAt: Date }> {
    const token = newSecret(SESSION_PREFIX);
    const id = hashSecret(token);
    const session: StoredSession = {
      personId,
      organisationId,
      createdAt: new Date().toISOString(),
    };
    await this.redis
      .multi()
      .set(this.key(id), JSON.stringify(session), 'EX', this.ttlSeconds)
      .sadd(this.personKey(personId), id)
      .expire(this.personKey(personId), this.ttlSeconds)
      .exec();
    return { token, id, expiresAt: new Date(Date.now() + this.ttlSeconds * 1000) };
  }

  async find(token: string): Promise<(StoredSession & { id: string }) | null> {
    const id = hashSecret(token);
    const raw = await this.redis.get(this.key(id));
    return raw ? { ...(JSON.parse(raw) as StoredSession), id } : null;
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** Ends every session of a person, e.g. after a password change. */
  async deleteAllFor(personId: string, except?: string): Promise<void> {
    const ids = await this.redis.smembers(this.personKey(personId));
    const doomed = ids.filter((id) => id !== except);
    if (doomed.length) await this.redis.del(...doomed.map((id) => this.key(id)));
    if (doomed.length) await this.redis.srem(this.personKey(personId), ...doomed);
  }
}
