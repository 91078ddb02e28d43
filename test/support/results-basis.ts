import { QUEUES, JobQueue } from '@trellis/jobs';
import type { TestApp } from './test-app';
import { until } from './until';

/**
 * Waits until aggregation is idle: nothing queued or running, and every closed round of the
 * organisation aggregated. Re-derivation hands each round on to the next before its job ends,
 * so an empty queue means the chain has finished.
 */
export async function aggregationSettled(t: TestApp, orgId: string): Promise<void> {
  const queue = t.app.get(JobQueue).queue(QUEUES.aggregation);
  await until(
    'aggregation to settle',
    async () => {
      const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized');
      if (Object.values(counts).some((n) => n > 0)) return false;
      const { rows } = await t.db.query<{ pending: number }>(
        `select count(*)::int as pending from round
          where organisation_id = $1 and status = 'closed' and aggregated_at is null`,
        [orgId],
      );
      return rows[0].pending === 0;
    },
    90_000,
  );
}

/** Waits until every closed round of the organisation is aggregated on its current basis. */
export async function resultsCurrent(t: TestApp, orgId: string): Promise<void> {
  await until(
    'every round re-derived on the current basis',
    async () => {
      const { rows } = await t.db.query<{ stale: number }>(
        `select count(*)::int as stale from round r join organisation o on o.id = r.organisation_id
          where r.organisation_id = $1 and r.status = 'closed'
            and (r.aggregated_at is null or r.results_epoch is distinct from o.results_epoch)`,
        [orgId],
      );
      return rows[0].stale === 0;
    },
    90_000,
  );
}
