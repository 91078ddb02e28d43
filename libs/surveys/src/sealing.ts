import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
} from 'node:crypto';

/**
 * Answers are stored sealed (AES-256-GCM) and participation as keyed marks (HMAC-SHA256), both
 * with keys derived from `ANSWER_KEY`, a secret the database never holds. Someone reading the
 * database or a backup then sees neither what anyone answered nor who answered: pairing a
 * person with an answer needs the running application's secret (README, "How answers are
 * stored").
 */
export interface AnswerKeys {
  seal: Buffer;
  mark: Buffer;
}

/**
 * Used when ANSWER_KEY is unset outside production (the config refuses that in production). It
 * is public, so it protects nothing: development and test data only.
 */
export const DEVELOPMENT_ANSWER_KEY = Buffer.from('trellis development answer key, not a secret!!')
  .subarray(0, 32)
  .toString('base64');

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/**
 * Plaintexts are padded to a multiple of this many bytes, so a ciphertext's length does not
 * let a watcher match a pooled answer to the response and comment it becomes.
 */
const PAD_BYTES = 256;

/** HKDF-SHA256 from the base64 secret: one key to seal, another to mark, never the same. */
export function deriveAnswerKeys(secretBase64: string): AnswerKeys {
  const secret = Buffer.from(secretBase64, 'base64');
  if (secret.length !== 32) throw new RangeError('the answer key must be 32 bytes');
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', secret, 'trellis answers', info, 32));
  return { seal: derive('seal v1'), mark: derive('mark v1') };
}

function pad(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const size = Math.ceil((body.length + 1) / PAD_BYTES) * PAD_BYTES;
  // JSON ignores trailing spaces, so the padding needs no length prefix.
  return Buffer.concat([body, Buffer.alloc(size - body.length, 0x20)]);
}

/**
 * Seals JSON-able data under a fresh random nonce. `context` (the row's round, unit and kind) is
 * authenticated, so a sealed value copied to another round, team or kind no longer opens.
 */
export function sealJson(key: Buffer, value: unknown, context: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(pad(JSON.stringify(value))), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]);
}

export function unsealJson<T>(key: Buffer, sealed: Buffer, context: string): T {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION)
    throw new Error('not a sealed value of a known version');
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([
    decipher.update(sealed.subarray(1 + NONCE_BYTES, sealed.length - TAG_BYTES)),
    decipher.final(),
  ]);
  return JSON.parse(plain.toString('utf8')) as T;
}

/** An invitation's participation mark: stable, so the application can recompute it; opaque without the key. */
export function markOf(keys: AnswerKeys, invitationId: string): Buffer {
  return createHmac('sha256', keys.mark).update(`mark\0${invitationId}`).digest();
}

/**
 * What a submission was, so a retry of the same submission (its response lost) is recognised
 * as already recorded while a different one on a used link is not.
 */
export function receiptOf(keys: AnswerKeys, invitationId: string, canonical: string): Buffer {
  return createHmac('sha256', keys.mark).update(`receipt\0${invitationId}\0${canonical}`).digest();
}

/**
 * One spelling per submission: answers in key order, then the comment, then any comments on a
 * theme in dimension order (left out when there are none, so a submission without them is
 * spelled as it always was).
 */
export function canonicalSubmission(
  answers: readonly { itemKey: string; value: number }[],
  comment: string | null | undefined,
  themed: readonly { dimension: string; text: string }[] = [],
): string {
  const byKey =
    <T>(key: (x: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
  const sorted = [...answers].sort(byKey((a) => a.itemKey)).map((a) => [a.itemKey, a.value]);
  if (themed.length === 0) return JSON.stringify([sorted, comment ?? null]);
  const comments = [...themed].sort(byKey((c) => c.dimension)).map((c) => [c.dimension, c.text]);
  return JSON.stringify([sorted, comment ?? null, comments]);
}

/** Fisher–Yates with a cryptographic source: the order says nothing about arrival. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export const sealContext = {
  pool: (roundId: string, unitId: string) => `pool\0${roundId}\0${unitId}`,
  response: (roundId: string, unitId: string, kind: string) =>
    `response\0${roundId}\0${unitId}\0${kind}`,
  comment: (roundId: string, unitId: string) => `comment\0${roundId}\0${unitId}`,
};

/** A pooled submission, sealed whole until the mix splits it into a response and a comment. */
export interface PooledSubmission {
  answers: Record<string, number>;
  comment: string | null;
  /** Comments on a theme; absent in submissions pooled before themes existed. */
  comments?: { dimension: string; text: string }[];
  /**
   * The keyed hash (base64) of the author's conversation link, when they commented: it travels
   * sealed with the comments and reaches the `comment` row only through the mix.
   */
  conversation?: string;
}

/** One of an author's comments: on a dimension, or general (`dimension` null). */
export interface AuthorComment {
  dimension: string | null;
  text: string;
}

/**
 * The application's sealing and marking, with the keys from the configuration. Provided once
 * by the surveys module; nothing else sees the keys.
 */
export class AnswerSealer {
  private readonly keys: AnswerKeys;

  constructor(secretBase64: string) {
    this.keys = deriveAnswerKeys(secretBase64);
  }

  mark(invitationId: string): Buffer {
    return markOf(this.keys, invitationId);
  }

  receipt(invitationId: string, canonical: string): Buffer {
    return receiptOf(this.keys, invitationId, canonical);
  }

  sealPool(roundId: string, unitId: string, value: PooledSubmission): Buffer {
    return sealJson(this.keys.seal, value, sealContext.pool(roundId, unitId));
  }

  openPool(roundId: string, unitId: string, sealed: Buffer): PooledSubmission {
    return unsealJson(this.keys.seal, sealed, sealContext.pool(roundId, unitId));
  }

  sealAnswers(
    roundId: string,
    unitId: string,
    kind: 'member' | 'leader_self',
    answers: Record<string, number>,
  ): Buffer {
    return sealJson(this.keys.seal, answers, sealContext.response(roundId, unitId, kind));
  }

  openAnswers(
    roundId: string,
    unitId: string,
    kind: string,
    sealed: Buffer,
  ): Record<string, number> {
    return unsealJson(this.keys.seal, sealed, sealContext.response(roundId, unitId, kind));
  }

  sealComment(roundId: string, unitId: string, body: string): Buffer {
    return sealJson(this.keys.seal, body, sealContext.comment(roundId, unitId));
  }

  openComment(roundId: string, unitId: string, sealed: Buffer): string {
    return unsealJson(this.keys.seal, sealed, sealContext.comment(roundId, unitId));
  }

  /**
   * One person's comments, sealed together in one `comment` row, so a row is an author and the
   * comment minimum, which counts people, can count rows.
   */
  sealAuthorComments(roundId: string, unitId: string, comments: readonly AuthorComment[]): Buffer {
    return sealJson(this.keys.seal, comments, sealContext.comment(roundId, unitId));
  }

  /** A row's comments; a row written before themes holds one general comment as bare text. */
  openAuthorComments(roundId: string, unitId: string, sealed: Buffer): AuthorComment[] {
    const value = unsealJson<unknown>(this.keys.seal, sealed, sealContext.comment(roundId, unitId));
    if (typeof value === 'string') return [{ dimension: null, text: value }];
    if (!Array.isArray(value)) throw new Error('a sealed comment of an unknown shape');
    return value as AuthorComment[];
  }

  /**
   * A conversation link as stored: keyed, so a database reader holding a link found elsewhere
   * (a forwarded mail, a browser history) cannot even look it up without the application.
   */
  conversationHash(token: string): Buffer {
    return createHmac('sha256', this.keys.mark).update(`conversation\0${token}`).digest();
  }

  /**
   * Proof that the application made this conversation link on this day (UTC), carried by the
   * thank-you page's "email me the link" form: the mailing route sends only links it made, for a
   * day, so it is no relay for anyone's text or links. Derived from the link alone.
   */
  linkMailProof(token: string, day: string): string {
    return createHmac('sha256', this.keys.mark)
      .update(`mail-link\0${token}\0${day}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  /**
   * The id a comment is shown and marked by: keyed, so two comments of one author (one row)
   * get unrelated ids, and neither a reader of the page nor of the database (without the key)
   * can tell from ids which comments share an author or which row a mark belongs to.
   */
  commentKey(rowId: string, index: number): string {
    return createHmac('sha256', this.keys.mark)
      .update(`comment\0${rowId}\0${index}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}
