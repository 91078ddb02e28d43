import { createHash, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

export const SESSION_PREFIX = 'trl_s_';
export const API_TOKEN_PREFIX = 'trl_t_';

/** 256 random bits, URL-safe; the prefix tells a session from an API token at a glance. */
export function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Secrets are high-entropy, so a fast hash is enough; passwords are not and get argon2id. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches keeps sign-in time the same for unknown emails.
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString('hex'));
  return decoy;
}
