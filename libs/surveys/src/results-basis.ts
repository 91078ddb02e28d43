import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Sql } from '@trellis/database';
import { JobQueue } from '@trellis/jobs';

/** A round whose results must be (re-)derived, under the organisation's current basis. */
export interface StaleRound {
  roundId: string;
  organisationId: string;
  /** The organisation's `results_epoch` when this was read; part of the job id. */
  epoch: string;
}

/**
 * A closed round is stale when it was never aggregated (or a late import reset it) or when its
 * results were computed under an older basis than the organisation's. A later round's flags read
 * the earlier rounds' results, so an organisation's rounds are re-derived oldest first: only the
 * oldest stale round of each organisation is returned, and aggregating it hands on to the next.
 * `after` asks for the oldest stale round after a given one, in its organisation only.
 */
export async function oldestStaleRounds(
  sql: Sql,
  scope: { organisationId?: string; roundId?: string; after?: string } = {},
): Promise<StaleRound[]> {
  return sql.query<StaleRound[]>(
    `select distinct on (r.organisation_id) r.id as "roundId", r.organisation_id as "organisationId",
            o.results_epoch::text as epoch
       from round r join organisation o on o.id = r.organisation_id
      where r.status = 'closed'
        and (r.aggregated_at is null or r.results_epoch is distinct from o.results_epoch)
        and ($1::uuid is null or r.organisation_id = $1)
        and ($2::uuid is null or r.organisation_id = (select organisation_id from round where id = $2))
        and ($3::uuid is null or (r.organisation_id, r.period_start, r.id) >
             (select a.organisation_id, a.period_start, a.id from round a where a.id = $3)
             and r.organisation_id = (select a.organisation_id from round a where a.id = $3))
      order by r.organisation_id, r.period_start, r.id`,
    [scope.organisationId ?? null, scope.roundId ?? null, scope.after ?? null],
  );
}

/**
 * A round that arrives (closes, or is imported) before rounds already closed changes their
 * flags, which compare with earlier rounds: every result of the organisation goes stale, in the
 * same transaction, and is re-derived in period order.
 */
export async function earlierRoundArrived(
  sql: Sql,
  organisationId: string,
  periodStart: string,
): Promise<void> {
  await sql.query(
    `select bump_results_epoch($1) where exists (
       select 1 from round where organisation_id = $1 and status = 'closed' and period_start > $2::date)`,
    [organisationId, periodStart],
  );
}

/** Answers were added to a closed round: its results, later rounds' flags and exports go stale. */
export async function closedRoundChanged(sql: Sql, organisationId: string): Promise<void> {
  await sql.query(`select bump_results_epoch($1)`, [organisationId]);
}

/**
 * Starts re-deriving an organisation's results now rather than at the scheduler's next tick:
 * called after a change of results' inputs has committed. Redis may be away; the tick queues
 * the same work once it is back.
 */
@Injectable()
export class ResultsRederivation {
  private readonly logger = new Logger(ResultsRederivation.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {}

  async start(organisationId: string): Promise<void> {
    try {
      for (const next of await oldestStaleRounds(this.db, { organisationId }))
        await this.jobs.add('round.aggregate', { roundId: next.roundId, epoch: next.epoch });
    } catch (error) {
      this.logger.warn({ err: error, organisationId }, 'could not queue re-derivation yet');
    }
  }
}
