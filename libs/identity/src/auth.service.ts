import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { affected, returning } from '@trellis/database';
import { invalid, notFound } from '@trellis/errors';
import type { OrganisationRoleName } from '@trellis/organisation';
import type { Principal } from './principal';
import {
  API_TOKEN_PREFIX,
  decoyHash,
  hashPassword,
  hashSecret,
  SESSION_PREFIX,
  verifyPassword,
} from './secrets';
import { SessionStore } from './session.store';

interface PersonRow {
  personId: string;
  organisationId: string;
  name: string;
  email: string;
  roles: OrganisationRoleName[];
}

const PERSON_WITH_ROLES = `select p.id as "personId", p.organisation_id as "organisationId", p.name, p.email,
  coalesce(array(select r.role from organisation_role r where r.person_id = p.id order by r.role), '{}') as roles
  from person p where p.deactivated_at is null`;

export const MIN_PASSWORD_LENGTH = 10;

/** The roles that may make API tokens (the HR routes); a token lives only while its owner has one. */
export const API_TOKEN_ROLES: readonly OrganisationRoleName[] = ['hr', 'admin'];

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sessions: SessionStore,
  ) {}

  async signIn(
    email: string,
    password: string,
    organisationSlug?: string,
  ): Promise<{ token: string; expiresAt: Date; principal: Principal }> {
    const candidates: { id: string; organisationId: string; passwordHash: string }[] =
      await this.db.query(
        `select p.id, p.organisation_id as "organisationId", p.password_hash as "passwordHash"
         from person p join organisation o on o.id = p.organisation_id
        where p.email = $1 and p.password_hash is not null and p.deactivated_at is null
          and ($2::text is null or o.slug = $2)`,
        [email.trim().toLowerCase(), organisationSlug ?? null],
      );
    // Nothing is said about the email before its password is checked: an unknown email, a wrong
    // password and an email of several organisations all get the same 401. Only a caller who
    // knows a password learns that it opens more than one organisation.
    if (!candidates.length) await verifyPassword(await decoyHash(), password);
    const opened: typeof candidates = [];
    for (const candidate of candidates)
      if (await verifyPassword(candidate.passwordHash, password)) opened.push(candidate);
    if (opened.length > 1) {
      throw invalid({
        field: 'organisation',
        message: 'this email and password sign in to several organisations; name one',
      });
    }
    const match = opened[0];
    if (!match)
      throw new UnauthorizedException({ statusCode: 401, message: 'email or password is wrong' });
    const session = await this.sessions.create(match.id, match.organisationId);
    const principal = await this.principalFor(match.id, 'session', session.id);
    if (!principal) throw new UnauthorizedException();
    return { token: session.token, expiresAt: session.expiresAt, principal };
  }

  /** Resolves a bearer token or session cookie; null when it is unknown, expired or revoked. */
  async authenticate(token: string): Promise<Principal | null> {
    if (token.startsWith(SESSION_PREFIX)) {
      const session = await this.sessions.find(token);
      return session ? this.principalFor(session.personId, 'session', session.id) : null;
    }
    if (token.startsWith(API_TOKEN_PREFIX)) {
      // A token acts for its owner, so it works only while they could still sign in and hold
      // one of the roles a token is made with: checked at every use, so offboarding (the
      // sign-in removed, the role taken away) ends it without anyone remembering the token.
      const rows = await returning<{ id: string; personId: string }>(
        this.db,
        `update api_token t set last_used_at = now()
           from person p
          where t.token_hash = $1 and t.revoked_at is null
            and p.id = t.person_id and p.password_hash is not null and p.deactivated_at is null
            and exists (select 1 from organisation_role r
                         where r.person_id = p.id and r.role = any($2::text[]))
          returning t.id, t.person_id as "personId"`,
        [hashSecret(token), API_TOKEN_ROLES],
      );
      return rows[0] ? this.principalFor(rows[0].personId, 'api_token', rows[0].id) : null;
    }
    return null;
  }

  async signOut(principal: Principal): Promise<void> {
    if (principal.via === 'session') await this.sessions.delete(principal.credentialId);
  }

  async changePassword(principal: Principal, current: string, next: string): Promise<void> {
    const [row]: { passwordHash: string | null }[] = await this.db.query(
      `select password_hash as "passwordHash" from person where id = $1`,
      [principal.personId],
    );
    if (!row?.passwordHash || !(await verifyPassword(row.passwordHash, current))) {
      throw invalid({ field: 'currentPassword', message: 'is wrong' });
    }
    await this.storePassword(principal.personId, next);
    await this.sessions.deleteAllFor(
      principal.personId,
      principal.via === 'session' ? principal.credentialId : undefined,
    );
  }

  /** Sets (or with null, removes) a person's password; used by admins and the demo. */
  async setPassword(personId: string, password: string | null): Promise<void> {
    await this.storePassword(personId, password);
    await this.sessions.deleteAllFor(personId);
  }

  private async storePassword(personId: string, password: string | null): Promise<void> {
    if (password !== null && password.length < MIN_PASSWORD_LENGTH) {
      throw invalid({
        field: 'password',
        message: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
      });
    }
    const hash = password === null ? null : await hashPassword(password);
    const count = await affected(
      this.db,
      `update person set password_hash = $2, updated_at = now() where id = $1`,
      [personId, hash],
    );
    if (!count) throw notFound('person');
  }

  private async principalFor(
    personId: string,
    via: Principal['via'],
    credentialId: string,
  ): Promise<Principal | null> {
    // A deactivated person's session ends here, at its next use, whatever Redis still holds.
    const rows: PersonRow[] = await this.db.query(`${PERSON_WITH_ROLES} and p.id = $1`, [personId]);
    return rows[0] ? { ...rows[0], via, credentialId } : null;
  }
}
