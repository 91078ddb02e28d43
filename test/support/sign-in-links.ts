import { createHash } from 'node:crypto';
import type { Client } from 'pg';
import type { Mail } from './mailbox';
import { until } from './until';

const LINK = /https?:\/\/\S+\/set-password\/(trl_l_[A-Za-z0-9_-]{43})/;

/**
 * The token of the newest set-password link mailed to `email` after mail number `from`, once
 * the link works. The worker mails inside the transaction that stores the link's hash (so a lost
 * commit can never leave a link marked sent but never mailed), so the mail reaches the test's
 * SMTP server a few milliseconds before the hash is committed; a person is never that quick, a
 * test is. Waiting for the hash keeps such a test from reading the row before it is there.
 */
export async function signInLinkFor(
  mailbox: { mails: Mail[] },
  db: Client,
  email: string,
  from = 0,
): Promise<string> {
  const mail = await until(`a sign-in link for ${email}`, async () =>
    mailbox.mails
      .slice(from)
      .reverse()
      .find((m) => m.to === email && LINK.test(m.text)),
  );
  const token = LINK.exec(mail.text)![1];
  const hash = createHash('sha256').update(token).digest('hex');
  await until(`the link mailed to ${email} stored`, async () => {
    const { rows } = await db.query(`select 1 from sign_in_link where token_hash = $1`, [hash]);
    return rows.length > 0;
  });
  return token;
}
