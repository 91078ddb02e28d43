import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AnswerSealer } from './sealing';

type Sql = Pick<EntityManager, 'query'>;

/**
 * Who has answered a round. The database cannot say: `participation` holds keyed marks of
 * invitations, and only the application, holding the key, recomputes each invitation's mark to
 * see whether it is there.
 */
@Injectable()
export class ParticipationReader {
  constructor(private readonly sealer: AnswerSealer) {}

  /** Members (not leaders' self-views) who answered the round, with the team they answered for. */
  async answeredMembers(
    sql: Sql,
    roundId: string,
  ): Promise<{ personId: string; unitId: string }[]> {
    const invitations = await this.answered(sql, roundId, 'member');
    return invitations.map((i) => ({ personId: i.personId, unitId: i.unitId }));
  }

  /** The invitations of the round, of any kind, that have answered. */
  async answeredInvitationIds(sql: Sql, roundId: string): Promise<string[]> {
    return (await this.answered(sql, roundId, null)).map((i) => i.id);
  }

  private async answered(
    sql: Sql,
    roundId: string,
    kind: 'member' | null,
  ): Promise<{ id: string; personId: string; unitId: string }[]> {
    const marks = await sql.query<{ mark: Buffer }[]>(
      `select mark from participation where round_id = $1 and ($2::text is null or kind = $2)`,
      [roundId, kind],
    );
    if (marks.length === 0) return [];
    const present = new Set(marks.map((m) => m.mark.toString('base64')));
    const invitations = await sql.query<{ id: string; personId: string; unitId: string }[]>(
      `select id, person_id as "personId", unit_id as "unitId" from invitation
        where round_id = $1 and ($2::text is null or kind = $2) order by id`,
      [roundId, kind],
    );
    return invitations.filter((i) => present.has(this.sealer.mark(i.id).toString('base64')));
  }
}
