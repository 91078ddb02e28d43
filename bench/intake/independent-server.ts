/**
 * The independent intake baseline: the least a correct intake does, written from the problem and
 * sharing no code, table or statement with the product. Look the link up by its hash (one
 * query), check the body, then one statement — so one transaction — that records the link's
 * participation once only and stores one row per answer; a used link is a 409, a closed round a
 * 410. Fastify and plain `pg` with prepared statements, no logging, no rate limit, no sealing.
 * Its tables are bench/intake/independent-schema.ts's.
 *
 * Run as its own process: DATABASE_URL, PORT, DATABASE_POOL_SIZE.
 */
import { createHash } from 'node:crypto';
import { fastify } from 'fastify';
import { Pool } from 'pg';

interface Link {
  invitation_id: string;
  round_id: number;
  team_id: number;
  open: boolean;
  item_keys: string[];
  scale_min: number;
  scale_max: number;
}

const LOOKUP = {
  name: 'minimal-lookup',
  text: `select l.invitation_id, l.round_id, l.team_id, r.open, r.item_keys, r.scale_min, r.scale_max
           from minimal.link l join minimal.round r on r.id = l.round_id where l.token_hash = $1`,
};

const STORE = {
  name: 'minimal-store',
  text: `with once as (
           insert into minimal.participated (invitation_id) values ($1) on conflict do nothing returning 1)
         insert into minimal.answer (round_id, team_id, item_key, value)
         select $2, $3, a.k, a.v from once, unnest($4::text[], $5::int2[]) as a(k, v)`,
};

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  const app = fastify({ logger: false });

  app.post<{ Params: { token: string } }>('/pulse/:token', async (request, reply) => {
    const hash = createHash('sha256').update(request.params.token).digest('hex');
    const { rows } = await pool.query<Link>({ ...LOOKUP, values: [hash] });
    const link = rows[0];
    if (!link) return reply.code(404).send({ error: 'no such link' });
    if (!link.open) return reply.code(410).send({ error: 'round closed' });
    const answers = (request.body as { answers?: Record<string, unknown> } | null)?.answers;
    if (typeof answers !== 'object' || answers === null)
      return reply.code(400).send({ error: 'answers' });
    const keys: string[] = [];
    const values: number[] = [];
    for (const [key, value] of Object.entries(answers)) {
      if (
        !link.item_keys.includes(key) ||
        !Number.isInteger(value) ||
        (value as number) < link.scale_min ||
        (value as number) > link.scale_max
      )
        return reply.code(400).send({ error: `answers.${key}` });
      keys.push(key);
      values.push(value as number);
    }
    if (!keys.length) return reply.code(400).send({ error: 'answers' });
    const stored = await pool.query({
      ...STORE,
      values: [link.invitation_id, link.round_id, link.team_id, keys, values],
    });
    if (stored.rowCount === 0) return reply.code(409).send({ error: 'link already used' });
    return reply.code(201).send({ status: 'received' });
  });

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stdout.write(`independent baseline: listening on ${process.env.PORT}\n`);
  const stop = () => void app.close().then(() => pool.end());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
