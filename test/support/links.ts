import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Client } from 'pg';
import { PeopleService } from '@trellis/organisation';

export interface Link {
  invitationId: string;
  personId: string;
  unitId: string;
  kind: 'member' | 'leader_self';
  token: string;
}

/**
 * A fresh personal link for every invitation of a round, written the way the invitation job
 * writes them (only the SHA-256 of the token is stored), without going through a mailbox.
 */
export async function mintLinks(db: Client, roundId: string): Promise<Link[]> {
  const { rows } = await db.query<Omit<Link, 'token'>>(
    `select id as "invitationId", person_id as "personId", unit_id as "unitId", kind
       from invitation where round_id = $1 order by id`,
    [roundId],
  );
  const links: Link[] = rows.map((r) => ({
    ...r,
    token: `p_${randomBytes(32).toString('base64url')}`,
  }));
  await db.query(
    `insert into invitation_token (token_hash, invitation_id) select * from unnest($1::text[], $2::uuid[])`,
    [
      links.map((l) => createHash('sha256').update(l.token).digest('hex')),
      links.map((l) => l.invitationId),
    ],
  );
  return links;
}

/** Adds `count` members (no sign-in) to a team, before a round opens for it. */
export async function addMembers(
  app: INestApplication,
  orgId: string,
  teamId: string,
  count: number,
  prefix: string,
): Promise<void> {
  const people = app.get(PeopleService);
  for (let i = 0; i < count; i++) {
    const person = await people.create(orgId, {
      email: `${prefix}-${i}@${prefix}.test`,
      name: `${prefix} ${i}`,
    });
    await people.addMembership(teamId, person.id, 'member');
  }
}

/** Sets the organisation's anonymity minimum the way the settings page stores it. */
export async function setMinGroupSize(db: Client, orgId: string, k: number): Promise<void> {
  await db.query(
    `update organisation set settings = jsonb_set(coalesce(settings, '{}'::jsonb), '{anonymity}', $2::jsonb)
      where id = $1`,
    [orgId, JSON.stringify({ minGroupSize: k, minCommentGroup: Math.max(10, k) })],
  );
}

/** Every statement a link's form asks, answered with `value`. */
export function answersFor(items: { key: string }[], value = 4): Record<string, number> {
  return Object.fromEntries(items.map((i) => [i.key, value]));
}
