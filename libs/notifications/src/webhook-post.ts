import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isNonPublicAddress } from './webhook-address';

/** Why a delivery did not happen; for the worker's log, never for the notification's row. */
export class WebhookFailure extends Error {}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: whether non-public addresses may be reached. */
  allowPrivate: boolean;
}

/**
 * Posts to a webhook and resolves with the status it answered. The host name is resolved here,
 * every address it resolves to is checked, and the connection goes to the checked address (the
 * request's own lookup is pinned to it), so a name that resolves to a public address for the
 * check and to a private one for the connection (DNS rebinding) gets nowhere. Redirects are
 * not followed.
 */
export async function postWebhook(post: WebhookPost): Promise<number> {
  return (await exchange(post, 0)).status;
}

/** What a receiver answered: its status and the start of its body, as text. */
export interface WebhookAnswer {
  status: number;
  /** At most `answerBytes` bytes of the body, decoded as UTF-8 (a cut character is replaced). */
  answer: string;
  /** Whether the body went on beyond what was read. */
  truncated: boolean;
}

/**
 * The same guarded delivery as postWebhook, keeping the start of the receiver's answer: for a
 * person who asked to see it (the settings page's test message), never for the worker's rows.
 */
export async function postWebhookForAnswer(
  post: WebhookPost,
  answerBytes: number,
): Promise<WebhookAnswer> {
  return exchange(post, answerBytes);
}

async function exchange(post: WebhookPost, answerBytes: number): Promise<WebhookAnswer> {
  const url = new URL(post.url);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true }).catch((error: unknown) => {
        throw new WebhookFailure(error instanceof Error ? error.message : String(error));
      });
  if (!addresses.length) throw new WebhookFailure(`${host} resolves to no address`);
  if (!post.allowPrivate) {
    const inside = addresses.find((a) => isNonPublicAddress(a.address));
    if (inside)
      throw new WebhookFailure(
        `${host} resolves to ${inside.address}, which is not public (WEBHOOK_ALLOW_PRIVATE is off)`,
      );
  }
  const pinned = addresses[0];
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookAnswer>((resolve, reject) => {
    /** Set once the status has arrived: from then on, an error ends the answer, not the call. */
    let endAnswer: ((truncated: boolean) => void) | undefined;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        lookup: pinnedLookup,
        // A connection of its own: a pooled one could have been opened to another address.
        agent: false,
        signal: AbortSignal.timeout(post.timeoutMs),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', () => undefined);
        if (answerBytes <= 0) {
          res.resume();
          resolve({ status, answer: '', truncated: false });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let done = false;
        const finish = (truncated: boolean) => {
          if (done) return;
          done = true;
          const answer = Buffer.concat(chunks).subarray(0, answerBytes).toString('utf8');
          resolve({ status, answer, truncated });
        };
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size > answerBytes) {
            finish(true);
            // Enough read: the rest of a long (or endless) answer is not waited for.
            res.destroy();
          }
        });
        res.on('end', () => finish(false));
        // Cut off (the timeout, a reset) after the status arrived: what came is the answer.
        res.on('close', () => finish(!res.complete));
        endAnswer = finish;
      },
    );
    req.on('error', (error) => {
      if (endAnswer) endAnswer(true);
      else reject(new WebhookFailure(error.message));
    });
    req.end(post.body);
  });
}
