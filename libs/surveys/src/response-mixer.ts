import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { anonymityOf } from '@trellis/organisation';
import { AnswerSealer, shuffle, type AuthorComment } from './sealing';

/** One person's answers (and comments) on their way into `response` and `comment`. */
export interface Respondent {
  unitId: string;
  answers: Record<string, number>;
  comment?: string | null;
  /** Comments on a theme; with `comment` they become the person's one `comment` row. */
  comments?: { dimension: string; text: string }[];
  /** The keyed hash of the author's conversation link; kept only when they commented. */
  conversation?: Buffer | null;
}

/** A respondent's comments in one list: the general one first, then by theme as sent. */
function authorComments(r: Respondent): AuthorComment[] {
  return [
    ...(r.comment ? [{ dimension: null, text: r.comment }] : []),
    ...(r.comments ?? []).map((c) => ({ dimension: c.dimension, text: c.text })),
  ];
}

/**
 * Writes respondents' answers as `response` rows and their comments as `comment` rows, each
 * sealed under a fresh nonce (so no earlier ciphertext, in the pool or elsewhere, matches), with
 * fresh random ids and the day only, in a random order, comments in an order of their own.
 */
export async function storeSealed(
  tx: EntityManager,
  sealer: AnswerSealer,
  target: { organisationId: string; roundId: string; source: 'survey' | 'import' },
  respondents: Respondent[],
): Promise<void> {
  if (respondents.length === 0) return;
  const { organisationId, roundId, source } = target;
  const answers = shuffle([...respondents]);
  await tx.query(
    `insert into response (id, organisation_id, round_id, unit_id, kind, source, submitted_on, sealed)
     select r.id, $1, $2, r.unit_id, 'member', $3, current_date, r.sealed
       from unnest($4::uuid[], $5::uuid[], $6::bytea[]) with ordinality as r(id, unit_id, sealed, n) order by r.n`,
    [
      organisationId,
      roundId,
      source,
      answers.map(() => randomUUID()),
      answers.map((r) => r.unitId),
      answers.map((r) => sealer.sealAnswers(roundId, r.unitId, 'member', r.answers)),
    ],
  );
  // One row per person who commented, whatever the number of their comments: the comment
  // minimum counts people, and counts them as rows.
  const comments = shuffle(
    respondents
      .map((r) => ({
        unitId: r.unitId,
        list: authorComments(r),
        conversation: r.conversation ?? null,
      }))
      .filter((r) => r.list.length > 0),
  );
  if (comments.length === 0) return;
  await tx.query(
    `insert into comment (id, organisation_id, round_id, unit_id, submitted_on, sealed, conversation)
     select c.id, $1, $2, c.unit_id, current_date, c.sealed, c.conversation
       from unnest($3::uuid[], $4::uuid[], $5::bytea[], $6::bytea[])
            with ordinality as c(id, unit_id, sealed, conversation, n) order by c.n`,
    [
      organisationId,
      roundId,
      comments.map(() => randomUUID()),
      comments.map((r) => r.unitId),
      comments.map((r) => sealer.sealAuthorComments(roundId, r.unitId, r.list)),
      comments.map((r) => r.conversation),
    ],
  );
}

/**
 * Moves a round's pooled submissions into `response` and `comment`, off the request path (the
 * `round.mix` job, and the round's close). While the round is open a mix moves only a batch of
 * at least the organisation's k; once it is closed, whatever is left. Afterwards nothing in a
 * row, its position, its ciphertext or its transaction pairs an answer with the participation
 * mark that arrived with it: the marks of the round are rewritten in the same transaction, in a
 * random order, so they all carry the mix's transaction id and lose their arrival order.
 *
 * Mixes of one round take turns (a lock held to the end of the transaction): two concurrent
 * mixes would otherwise both count a full batch, and the second would move only the one or two
 * rows that arrived in between. Any number of workers may run it; a repeat finds less or nothing.
 */
@Injectable()
export class ResponseMixer {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: AnswerSealer,
  ) {}

  /** What is due now: a full batch while open, everything once closed. Returns how many moved. */
  mix(roundId: string): Promise<number> {
    return this.db.transaction((tx) => this.mixIn(tx, roundId, false));
  }

  /**
   * The same inside the caller's transaction. `closing` (the round's close) moves everything
   * left, and clears the receipts: after close a link answers 410 whatever is sent, so they
   * would only remain as something to test guesses of a person's answers against.
   */
  async mixIn(tx: EntityManager, roundId: string, closing: boolean): Promise<number> {
    await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [`mix:${roundId}`]);
    const [round] = await tx.query<{ organisationId: string; status: string; waiting: number }[]>(
      `select r.organisation_id as "organisationId", r.status,
              (select count(*) from response_pool p where p.round_id = r.id)::int as waiting
         from round r where r.id = $1`,
      [roundId],
    );
    if (!round) return 0;
    const everything = closing || round.status !== 'open';
    const min = everything ? 1 : (await anonymityOf(tx, round.organisationId)).minGroupSize;
    const moving = round.waiting > 0 && round.waiting >= min;
    let moved = 0;
    if (moving) {
      const taken = await tx.query<{ unitId: string; sealed: Buffer }[]>(
        `with taken as (delete from response_pool where round_id = $1 returning unit_id, sealed)
         select unit_id as "unitId", sealed from taken`,
        [roundId],
      );
      moved = taken.length;
      await storeSealed(
        tx,
        this.sealer,
        { organisationId: round.organisationId, roundId, source: 'survey' },
        taken.map((row) => {
          const pooled = this.sealer.openPool(roundId, row.unitId, row.sealed);
          return {
            unitId: row.unitId,
            answers: pooled.answers,
            comment: pooled.comment,
            comments: pooled.comments,
            conversation: pooled.conversation ? Buffer.from(pooled.conversation, 'base64') : null,
          };
        }),
      );
    }
    if (moving || closing) {
      await tx.query(
        `with gone as (delete from participation where round_id = $1 returning *)
         insert into participation (organisation_id, round_id, unit_id, kind, mark, receipt)
         select organisation_id, round_id, unit_id, kind, mark, case when $2 then null else receipt end
           from gone order by random()`,
        [roundId, closing],
      );
    }
    return moved;
  }
}
