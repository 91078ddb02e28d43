/**
 * The intake baseline: the least code that stores a pulse answer with the product's own
 * statements — the link lookup, the team lock, marking the invitation answered and pooling the
 * answers in one transaction, then the pool mixer in a second — on Fastify and plain `pg`, with
 * no logging, no rate limit and a hand-written body check. What the product spends beyond this
 * is its framework, middleware and validation, not its SQL.
 *
 * Run as its own process: DATABASE_URL, PORT, DATABASE_POOL_SIZE.
 */
import { createHash } from 'node:crypto';
import { fastify } from 'fastify';
import { Pool, type PoolClient } from 'pg';
import type { EntityManager } from 'typeorm';
import type { InstrumentDef } from '../../libs/surveys/src/instrument';
import { MIX_BATCH, mixPool } from '../../libs/surveys/src/response-mixer';

interface Invitation {
  invitationId: string;
  roundId: string;
  organisationId: string;
  unitId: string;
  kind: 'member' | 'leader_self';
  answered: boolean;
  status: string;
  closesAt: Date;
  itemKeys: string[];
  definition: InstrumentDef;
  teamName: string;
}

// The statements below are libs/surveys/src/pulse.service.ts's, word for word; keep them in step.
const TOKEN_SHAPE = /^p_[A-Za-z0-9_-]{43}$/;

const BY_TOKEN = `select i.id as "invitationId", i.round_id as "roundId", i.organisation_id as "organisationId",
  i.unit_id as "unitId", i.kind, i.answered, r.status, r.closes_at as "closesAt", r.item_keys as "itemKeys",
  r.self_item_keys as "selfItemKeys", v.definition, u.name as "teamName", o.name as "organisationName"
  from invitation_token t join invitation i on i.id = t.invitation_id join round r on r.id = i.round_id
  join instrument_version v on v.id = r.instrument_version_id join unit u on u.id = i.unit_id
  join organisation o on o.id = i.organisation_id
  where t.token_hash = $1`;

const LOCK_TEAM = `select i.id, i.answered from invitation i join round r on r.id = i.round_id
          where i.round_id = $1 and i.unit_id = $2 and i.kind = $3 and r.status = 'open' and r.closes_at > now()
          order by i.id for update of i`;

const MARK_ANSWERED = `update invitation set answered = answered or id = $1 where id = any($2::uuid[])`;

const POOL_ANSWERS = `insert into response_pool (organisation_id, round_id, unit_id, answers, comment) values ($1, $2, $3, $4, $5)`;

/** The answers when the body is a well-formed member submission for these items, else null. */
function answersOf(body: unknown, row: Invitation): Record<string, number> | null {
  const answers = (body as { answers?: unknown } | null)?.answers;
  if (typeof answers !== 'object' || answers === null) return null;
  const asked = new Set(row.itemKeys);
  const { min, max } = row.definition.scale;
  const entries = Object.entries(answers as Record<string, unknown>);
  if (!entries.length) return null;
  for (const [key, value] of entries)
    if (
      !asked.has(key) ||
      !Number.isInteger(value) ||
      (value as number) < min ||
      (value as number) > max
    )
      return null;
  return answers as Record<string, number>;
}

/** mixPool only calls `query`; a pg client answers it with the rows, as TypeORM does. */
function asEntityManager(client: PoolClient): EntityManager {
  return {
    query: async (sql: string, params?: unknown[]): Promise<unknown[]> =>
      (await client.query(sql, params)).rows as unknown[],
  } as unknown as EntityManager;
}

async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  const app = fastify({ logger: false });

  app.post<{ Params: { token: string } }>('/pulse/:token', async (request, reply) => {
    const { token } = request.params;
    const [row] = TOKEN_SHAPE.test(token)
      ? (await pool.query<Invitation>(BY_TOKEN, [createHash('sha256').update(token).digest('hex')]))
          .rows
      : [];
    if (!row) return reply.code(404).send({ statusCode: 404 });
    if (row.status !== 'open' || row.closesAt <= new Date())
      return reply.code(410).send({ statusCode: 410 });
    if (row.answered || row.kind !== 'member') return reply.code(409).send({ statusCode: 409 });
    const answers = answersOf(request.body, row);
    if (!answers) return reply.code(400).send({ statusCode: 400 });

    const stored = await inTransaction(pool, async (client) => {
      const team = (
        await client.query<{ id: string; answered: boolean }>(LOCK_TEAM, [
          row.roundId,
          row.unitId,
          row.kind,
        ])
      ).rows;
      const mine = team.find((i) => i.id === row.invitationId);
      if (!mine || mine.answered) return false;
      await client.query(MARK_ANSWERED, [row.invitationId, team.map((i) => i.id)]);
      await client.query(POOL_ANSWERS, [
        row.organisationId,
        row.roundId,
        row.unitId,
        JSON.stringify(answers),
        null,
      ]);
      return true;
    });
    if (!stored) return reply.code(409).send({ statusCode: 409 });
    await inTransaction(pool, (client) => mixPool(asEntityManager(client), row.roundId, MIX_BATCH));
    return reply.code(201).send({ status: 'received', teamName: row.teamName });
  });

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stdout.write(`baseline: listening on ${process.env.PORT}\n`);
  const stop = () => void app.close().then(() => pool.end());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
