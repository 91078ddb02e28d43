import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conversations on comments and HR's moderation (issue 16, second half).
 *
 * - `comment.conversation` is the keyed hash (HMAC under the application's marking key) of the
 *   secret conversation link the author was shown once on the thank-you page. It reaches the row
 *   only through the sealed pool and the mix, like the comment itself, so no row written at
 *   answering time holds it and the comment row stays as unlinkable as before. Unique: one link,
 *   one author's row.
 * - `comment_reply` is a conversation's messages, keyed by the comment's shown id (an HMAC of the
 *   row under the marking key: no column names the `comment` row, a person, an invitation or a
 *   participation). `by` is a role (leader, hr, author), never a person: who replied as a
 *   leader or HR is in the audit log, the author in nothing. The day only; `seq` orders a
 *   conversation without a time of day.
 * - `comment_hidden`: a comment HR withheld from readers, with the reason the author is shown.
 */
export class CommentConversations1765600000000 implements MigrationInterface {
  name = 'CommentConversations1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table comment add column conversation bytea unique
      check (conversation is null or octet_length(conversation) = 32)`);
    await q.query(`
      create table comment_reply (
        id uuid primary key default gen_random_uuid(),
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        comment_key text not null check (comment_key ~ '^[A-Za-z0-9_-]{22}$'),
        seq int not null check (seq > 0),
        -- the unit the comment is read at, whose leaders (or HR) the conversation is with
        shown_at uuid not null references unit(id) on delete cascade,
        by text not null check (by in ('leader', 'hr', 'author')),
        -- a leader's reply: the unit they lead it is signed with (the reading unit or one above)
        signed_as uuid references unit(id) on delete set null,
        body text not null check (length(body) between 1 and 2000),
        written_on date not null,
        -- an author's answer: whether its readers have been told (the worker sets it once)
        notified boolean not null default false,
        unique (round_id, comment_key, seq)
      )`);
    await q.query(`
      create table comment_hidden (
        organisation_id uuid not null,
        round_id uuid not null references round(id) on delete cascade,
        comment_key text not null check (comment_key ~ '^[A-Za-z0-9_-]{22}$'),
        reason text not null check (length(reason) between 1 and 500),
        hidden_on date not null,
        primary key (round_id, comment_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table if exists comment_hidden`);
    await q.query(`drop table if exists comment_reply`);
    await q.query(`alter table comment drop column if exists conversation`);
  }
}
