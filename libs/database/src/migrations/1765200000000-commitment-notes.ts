import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A commitment closes with a word on how it went: a leader marks it done or dropped and may say
 * why ("the check-in became a status meeting, so we stopped"). Optional, and as long as the
 * action may be.
 */
export class CommitmentNotes1765200000000 implements MigrationInterface {
  name = 'CommitmentNotes1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `alter table commitment add column note text check (length(note) between 1 and 1000)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table commitment drop column if exists note`);
  }
}
