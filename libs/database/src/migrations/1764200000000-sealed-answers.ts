import { randomBytes } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
// The sealing module depends on node:crypto only; importing it by path keeps the database library
// free of the surveys library's Nest providers.
import { AnswerSealer, DEVELOPMENT_ANSWER_KEY } from '../../../surveys/src/sealing';

const CHUNK = 5000;

function select<T>(q: QueryRunner, sql: string, params: unknown[] = []): Promise<T> {
  return q.query(sql, params) as Promise<T>;
}

function sealer(): AnswerSealer {
  const secret = process.env.ANSWER_KEY;
  if (!secret && process.env.NODE_ENV === 'production')
    throw new Error('ANSWER_KEY is required in production to seal the stored answers');
  return new AnswerSealer(secret || DEVELOPMENT_ANSWER_KEY);
}

/**
 * Storage a database watcher cannot pair (issue 12, move 6). Before: a submission flipped its
 * invitation's `answered` and pooled its answers and comment in plaintext, so anyone reading the
 * database saw "this person answered, and this is what appeared". After:
 * - `participation` holds a keyed mark per answered invitation (HMAC under a secret the database
 *   does not hold) and no time; `invitation` is never written at submission.
 * - The pool, `response` and `comment` hold only AES-GCM-sealed answers and comments; the
 *   `answer` table is gone. Aggregation opens them in the worker.
 * Existing rows are converted here with the configured ANSWER_KEY, which must therefore be set
 * (in production) before migrating, and kept from then on.
 */
export class SealedAnswers1764200000000 implements MigrationInterface {
  name = 'SealedAnswers1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const keys = sealer();
    await q.query(`
      create table participation (
        organisation_id uuid not null,
        round_id uuid not null,
        unit_id uuid not null,
        kind text not null check (kind in ('member', 'leader_self')),
        -- HMAC(mark key, invitation id): once-only by the key; opaque without the secret.
        mark bytea primary key,
        -- HMAC(mark key, invitation id + submission): recognises a retry of the same submission.
        -- Cleared when the round closes. No timestamp, on purpose.
        receipt bytea,
        foreign key (organisation_id, round_id) references round (organisation_id, id) on delete cascade
      )`);
    await q.query(
      `create index participation_round_unit on participation (round_id, unit_id, kind)`,
    );
    const answered = await select<
      { id: string; organisationId: string; roundId: string; unitId: string; kind: string }[]
    >(
      q,
      `select id, organisation_id as "organisationId", round_id as "roundId", unit_id as "unitId", kind
         from invitation where answered`,
    );
    for (let i = 0; i < answered.length; i += CHUNK) {
      const chunk = answered.slice(i, i + CHUNK);
      await q.query(
        `insert into participation (organisation_id, round_id, unit_id, kind, mark, receipt)
         select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bytea[], $6::bytea[])`,
        [
          chunk.map((r) => r.organisationId),
          chunk.map((r) => r.roundId),
          chunk.map((r) => r.unitId),
          chunk.map((r) => r.kind),
          chunk.map((r) => keys.mark(r.id)),
          // The submission is unknown: a retry of it is refused as a used link.
          chunk.map(() => randomBytes(32)),
        ],
      );
    }
    await q.query(`alter table invitation drop column answered`);

    await q.query(`alter table response_pool add column sealed bytea`);
    const pooled = await select<
      {
        id: string;
        roundId: string;
        unitId: string;
        answers: Record<string, number>;
        comment: string | null;
      }[]
    >(
      q,
      `select id, round_id as "roundId", unit_id as "unitId", answers, comment from response_pool`,
    );
    for (let i = 0; i < pooled.length; i += CHUNK) {
      const chunk = pooled.slice(i, i + CHUNK);
      await q.query(
        `update response_pool p set sealed = v.sealed from unnest($1::uuid[], $2::bytea[]) v(id, sealed) where p.id = v.id`,
        [
          chunk.map((r) => r.id),
          chunk.map((r) =>
            keys.sealPool(r.roundId, r.unitId, { answers: r.answers, comment: r.comment }),
          ),
        ],
      );
    }
    await q.query(
      `alter table response_pool drop column answers, drop column comment, alter column sealed set not null`,
    );

    await q.query(`alter table response add column sealed bytea`);
    for (let after = '00000000-0000-0000-0000-000000000000'; ;) {
      const rows = await select<
        {
          id: string;
          roundId: string;
          unitId: string;
          kind: 'member' | 'leader_self';
          answers: Record<string, number>;
        }[]
      >(
        q,
        `select r.id, r.round_id as "roundId", r.unit_id as "unitId", r.kind,
                coalesce(jsonb_object_agg(a.item_key, a.value) filter (where a.item_key is not null), '{}') as answers
           from response r left join answer a on a.response_id = r.id
          where r.id > $1 group by r.id order by r.id limit ${CHUNK}`,
        [after],
      );
      if (rows.length === 0) break;
      await q.query(
        `update response r set sealed = v.sealed from unnest($1::uuid[], $2::bytea[]) v(id, sealed) where r.id = v.id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => keys.sealAnswers(r.roundId, r.unitId, r.kind, r.answers)),
        ],
      );
      after = rows[rows.length - 1].id;
    }
    await q.query(`alter table response alter column sealed set not null`);
    await q.query(`drop table answer`);

    await q.query(`alter table comment add column sealed bytea`);
    const comments = await select<{ id: string; roundId: string; unitId: string; body: string }[]>(
      q,
      `select id, round_id as "roundId", unit_id as "unitId", body from comment`,
    );
    for (let i = 0; i < comments.length; i += CHUNK) {
      const chunk = comments.slice(i, i + CHUNK);
      await q.query(
        `update comment c set sealed = v.sealed from unnest($1::uuid[], $2::bytea[]) v(id, sealed) where c.id = v.id`,
        [chunk.map((r) => r.id), chunk.map((r) => keys.sealComment(r.roundId, r.unitId, r.body))],
      );
    }
    await q.query(`alter table comment drop column body, alter column sealed set not null`);
  }

  async down(): Promise<void> {
    // Going back would write every answer and comment out in plaintext and put participation back
    // next to people: restore the backup taken before migrating instead.
    throw new Error(
      'SealedAnswers1764200000000 is not reversible; restore a backup from before it',
    );
  }
}
