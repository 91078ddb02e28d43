import type { Sql } from '@trellis/database';

export type ReplyBy = 'leader' | 'hr' | 'author';

export interface StoredReply {
  commentKey: string;
  seq: number;
  shownAt: string;
  shownAtName: string;
  /** A leader's reply: the unit they lead that signs it, and its name. */
  signedAs: string | null;
  signedAsName: string | null;
  by: ReplyBy;
  body: string;
  writtenOn: string;
}

export interface HiddenComment {
  reason: string;
  hiddenOn: string;
}

/** A round's conversations on the given comment keys, in the order they were written. */
export async function repliesOf(
  tx: Sql,
  roundId: string,
  keys: readonly string[],
): Promise<Map<string, StoredReply[]>> {
  const byKey = new Map<string, StoredReply[]>();
  if (keys.length === 0) return byKey;
  const rows = await tx.query<StoredReply[]>(
    `select r.comment_key as "commentKey", r.seq, r.shown_at as "shownAt", u.name as "shownAtName",
            r.signed_as as "signedAs", s.name as "signedAsName",
            r.by, r.body, r.written_on::text as "writtenOn"
       from comment_reply r join unit u on u.id = r.shown_at left join unit s on s.id = r.signed_as
      where r.round_id = $1 and r.comment_key = any($2::text[])
      order by r.comment_key, r.seq`,
    [roundId, keys],
  );
  for (const row of rows) {
    const list = byKey.get(row.commentKey) ?? [];
    list.push(row);
    byKey.set(row.commentKey, list);
  }
  return byKey;
}

/** The round's comments HR withheld from readers, by key. */
export async function hiddenOf(tx: Sql, roundId: string): Promise<Map<string, HiddenComment>> {
  const rows = await tx.query<({ key: string } & HiddenComment)[]>(
    `select comment_key as key, reason, hidden_on::text as "hiddenOn" from comment_hidden where round_id = $1`,
    [roundId],
  );
  return new Map(rows.map((r) => [r.key, { reason: r.reason, hiddenOn: r.hiddenOn }]));
}

/**
 * Appends one message to a comment's conversation. The next number is taken under a lock on the
 * conversation, so two replies at once cannot both be number 3.
 */
export async function appendReply(
  tx: Sql,
  reply: {
    organisationId: string;
    roundId: string;
    commentKey: string;
    shownAt: string;
    by: ReplyBy;
    signedAs?: string | null;
    body: string;
  },
): Promise<number> {
  await tx.query(`select pg_advisory_xact_lock(hashtext($1))`, [
    `conversation:${reply.roundId}:${reply.commentKey}`,
  ]);
  const [row] = await tx.query<{ seq: number }[]>(
    `insert into comment_reply (organisation_id, round_id, comment_key, seq, shown_at, by, body, written_on, signed_as)
     select $1, $2, $3, coalesce(max(seq), 0) + 1, $4, $5, $6, current_date, $7::uuid
       from comment_reply where round_id = $2 and comment_key = $3
     returning seq`,
    [
      reply.organisationId,
      reply.roundId,
      reply.commentKey,
      reply.shownAt,
      reply.by,
      reply.body,
      reply.signedAs ?? null,
    ],
  );
  return row.seq;
}
