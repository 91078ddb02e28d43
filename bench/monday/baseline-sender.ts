/**
 * The Monday-morning baseline: the same rows and the same number of messages as the product's
 * round opening, written from the problem and sharing no code with the product — one statement
 * creates every invitation, links are random tokens stored as SHA-256 hashes (one insert of a
 * thousand at a time, with `sent_at` set in the same statement), and nodemailer hands each person
 * one message through a pooled SMTP transport, several at a time.
 *
 * Run as its own process: DATABASE_URL, SMTP_URL, ROUND_ID, ORGANISATION_ID; prints the count sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createTransport } from 'nodemailer';
import { Client } from 'pg';

const CHUNK = 1_000;
const SENDERS = 8;

async function main(): Promise<void> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  const roundId = process.env.ROUND_ID!;
  const { rows: people } = await client.query<{
    id: string;
    email: string;
    name: string;
    team: string;
  }>(
    `insert into invitation (organisation_id, round_id, unit_id, person_id, kind)
     select $1, $2, m.unit_id, m.person_id, 'member' from membership m
      where m.organisation_id = $1 and m.role = 'member'
     returning id, (select email from person where id = person_id) as email,
               (select name from person where id = person_id) as name,
               (select name from unit where id = unit_id) as team`,
    [process.env.ORGANISATION_ID, roundId],
  );
  const transport = createTransport({
    host: new URL(process.env.SMTP_URL!).hostname,
    port: Number(new URL(process.env.SMTP_URL!).port),
    pool: true,
    secure: false,
    ignoreTLS: true,
  });
  let sent = 0;
  for (let start = 0; start < people.length; start += CHUNK) {
    const chunk = people.slice(start, start + CHUNK);
    const tokens = chunk.map(() => `p_${randomBytes(32).toString('base64url')}`);
    await client.query(
      `with t as (
         insert into invitation_token (token_hash, invitation_id)
         select * from unnest($1::text[], $2::uuid[]) returning invitation_id)
       update invitation set sent_at = now() where id in (select invitation_id from t)`,
      [tokens.map((t) => createHash('sha256').update(t).digest('hex')), chunk.map((p) => p.id)],
    );
    let next = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < chunk.length) {
          const i = next++;
          const person = chunk[i];
          await transport.sendMail({
            from: 'Baseline <baseline@localhost>',
            to: { name: person.name, address: person.email },
            subject: `Your pulse survey for ${person.team}`,
            text: `Hello ${person.name},\n\nplease answer this week's pulse for ${person.team}:\nhttp://localhost:3000/r/${tokens[i]}\n\nIt takes two minutes and is anonymous.\n`,
          });
          sent += 1;
        }
      }),
    );
  }
  transport.close();
  await client.end();
  process.stdout.write(`${sent}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
