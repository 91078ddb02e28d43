import type { Client } from 'pg';
import { pulseTokenHashSql } from './pulse-token';

/**
 * The independent intake baseline's own tables, in a schema of their own: written for the
 * benchmark from the problem, not from the product (no product table, statement or module).
 * The least a correct intake needs: links by hash, a once-only participation record, answers.
 */
export const MINIMAL_SCHEMA = `
  create schema minimal;
  create table minimal.round (id int primary key, open boolean not null, item_keys text[] not null,
    scale_min int not null, scale_max int not null);
  create table minimal.link (token_hash text primary key, invitation_id bigint not null unique,
    round_id int not null references minimal.round, team_id int not null);
  create table minimal.participated (invitation_id bigint primary key);
  create table minimal.answer (id bigint generated always as identity primary key,
    round_id int not null, team_id int not null, item_key text not null, value smallint not null);
`;

/** One open round; links 0 … links − 1 (pulse-token.ts numbering), `membersPerTeam` a team. */
export async function createMinimalRound(
  client: Client,
  options: { links: number; membersPerTeam: number; itemKeys: string[] },
): Promise<void> {
  await client.query(MINIMAL_SCHEMA);
  await client.query(
    `insert into minimal.round (id, open, item_keys, scale_min, scale_max) values (1, true, $1, 1, 5)`,
    [options.itemKeys],
  );
  await client.query(
    `insert into minimal.link (token_hash, invitation_id, round_id, team_id)
     select ${pulseTokenHashSql('n')}, n, 1, n / $2::int from generate_series(0, $1::int - 1) n`,
    [options.links, options.membersPerTeam],
  );
  await client.query('vacuum (analyze)');
}
