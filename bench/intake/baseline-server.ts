/**
 * The same-SQL intake baseline: the least code that stores a pulse answer with the product's own
 * prepared statements — the link lookup, then one statement that records the keyed participation mark
 * and pools the sealed answers (mixing is a job off the request path) — on Fastify and plain
 * `pg`, with no logging, no rate limit and a hand-written body check. What the product spends
 * beyond this is its framework, middleware and validation, not its SQL.
 *
 * Run as its own process: DATABASE_URL, PORT, DATABASE_POOL_SIZE, ANSWER_KEY.
 */
import { createHash } from 'node:crypto';
import { fastify } from 'fastify';
import { Pool } from 'pg';
import type { InstrumentDef } from '../../libs/surveys/src/instrument';
import {
  AnswerSealer,
  canonicalSubmission,
  DEVELOPMENT_ANSWER_KEY,
} from '../../libs/surveys/src/sealing';

interface Invitation {
  invitationId: string;
  roundId: string;
  organisationId: string;
  unitId: string;
  kind: 'member' | 'leader_self';
  status: string;
  closesAt: Date;
  itemKeys: string[];
  versionId: string;
  teamName: string;
}

// The statements below are libs/surveys/src/pulse.service.ts's, word for word; keep them in step.
const TOKEN_SHAPE = /^p_[A-Za-z0-9_-]{43}$/;

const BY_TOKEN = {
  name: 'pulse-by-token',
  text: `select i.id as "invitationId", i.round_id as "roundId", i.organisation_id as "organisationId",
  i.unit_id as "unitId", i.kind, r.status, r.closes_at as "closesAt", r.item_keys as "itemKeys",
  r.self_item_keys as "selfItemKeys", r.instrument_version_id as "versionId", u.name as "teamName",
  o.name as "organisationName", o.settings
  from invitation_token t join invitation i on i.id = t.invitation_id join round r on r.id = i.round_id
  join unit u on u.id = i.unit_id join organisation o on o.id = i.organisation_id
  where t.token_hash = $1`,
};

const DEFINITION = {
  name: 'pulse-definition',
  text: `select definition, used_at is not null as frozen from instrument_version where id = $1`,
};

const SUBMIT_TEXT = `with open_round as (
    select r.id from round r where r.id = $2 and r.status = 'open' and r.closes_at > now() for share),
  marked as (
    insert into participation (organisation_id, round_id, unit_id, kind, mark, receipt)
    select $1, $2, $3, $4, $5, $6 from open_round
    on conflict (mark) do nothing returning kind),
  pooled as (
    insert into response_pool (organisation_id, round_id, unit_id, sealed)
    select $1, $2, $3, $7 from marked where kind = 'member' returning 1),
  own as (
    insert into response (organisation_id, round_id, unit_id, kind, source, submitted_on, sealed)
    select $1, $2, $3, 'leader_self', 'survey', current_date, $7 from marked where kind = 'leader_self' returning 1)
  select (select count(*) from open_round)::int as open,
         (select count(*) from pooled)::int + (select count(*) from own)::int as stored`;
const SUBMIT = { name: 'pulse-submit', text: SUBMIT_TEXT };
const RECEIPT = { name: 'pulse-receipt', text: `select receipt from participation where mark = $1` };

/** The answers when the body is a well-formed member submission for these items, else null. */
function answersOf(body: unknown, row: Invitation, definition: InstrumentDef): Record<string, number> | null {
  const answers = (body as { answers?: unknown } | null)?.answers;
  if (typeof answers !== 'object' || answers === null) return null;
  const asked = new Set(row.itemKeys);
  const { min, max } = definition.scale;
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

async function main(): Promise<void> {
  const pool = new Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  });
  const app = fastify({ logger: false });
  const sealer = new AnswerSealer(process.env.ANSWER_KEY || DEVELOPMENT_ANSWER_KEY);
  const definitions = new Map<string, InstrumentDef>();
  const definition = async (versionId: string): Promise<InstrumentDef> => {
    const known = definitions.get(versionId);
    if (known) return known;
    const { rows } = await pool.query<{ definition: InstrumentDef; frozen: boolean }>({
      ...DEFINITION,
      values: [versionId],
    });
    if (rows[0].frozen) definitions.set(versionId, rows[0].definition);
    return rows[0].definition;
  };

  app.post<{ Params: { token: string } }>('/pulse/:token', async (request, reply) => {
    const { token } = request.params;
    const [row] = TOKEN_SHAPE.test(token)
      ? (
          await pool.query<Invitation>({
            ...BY_TOKEN,
            values: [createHash('sha256').update(token).digest('hex')],
          })
        ).rows
      : [];
    if (!row) return reply.code(404).send({ statusCode: 404 });
    if (row.status !== 'open' || row.closesAt <= new Date())
      return reply.code(410).send({ statusCode: 410 });
    if (row.kind !== 'member') return reply.code(409).send({ statusCode: 409 });
    const answers = answersOf(request.body, row, await definition(row.versionId));
    if (!answers) return reply.code(400).send({ statusCode: 400 });

    const entries = Object.entries(answers).map(([itemKey, value]) => ({ itemKey, value }));
    const mark = sealer.mark(row.invitationId);
    const receipt = sealer.receipt(row.invitationId, canonicalSubmission(entries, null));
    const { rows } = await pool.query<{ open: number; stored: number }>({
      ...SUBMIT,
      values: [
        row.organisationId,
        row.roundId,
        row.unitId,
        row.kind,
        mark,
        receipt,
        sealer.sealPool(row.roundId, row.unitId, { answers, comment: null }),
      ],
    });
    if (rows[0].open === 0) return reply.code(410).send({ statusCode: 410 });
    if (rows[0].stored === 0) {
      const earlier = await pool.query<{ receipt: Buffer | null }>({ ...RECEIPT, values: [mark] });
      if (!earlier.rows[0]?.receipt?.equals(receipt))
        return reply.code(409).send({ statusCode: 409 });
    }
    return reply.code(201).send({ status: 'received', teamName: row.teamName });
  });

  await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
  process.stdout.write(`baseline: listening on ${process.env.PORT}\n`);
  const stop = () => void app.close().then(() => pool.end());
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
