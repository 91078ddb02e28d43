import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Who answered a round, as aggregation needs it to count people rather than answers: a member
 * of two teams answers in both, and must count once where the teams meet. Read apart from the
 * answers, which never name a person. Imported history has no people and is not listed here.
 */
@Injectable()
export class ParticipationReader {
  /** Members who answered, one row per person and team. */
  async answeredMembers(
    sql: EntityManager,
    roundId: string,
  ): Promise<{ personId: string; unitId: string }[]> {
    return sql.query<{ personId: string; unitId: string }[]>(
      `select person_id as "personId", unit_id as "unitId"
         from invitation where round_id = $1 and kind = 'member' and answered`,
      [roundId],
    );
  }
}
