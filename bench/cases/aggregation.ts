import { generateOrganisation } from '../../libs/synthetic/src';
import { checkAgainstProduct, teamMeans, type TeamMean } from '../aggregation/team-means';
import { builtInInstrument } from '../fixtures/instrument';
import { copyOrganisation, copyRounds, settle } from '../fixtures/organisation';
import type { BenchCase } from '../support/context';
import { connect, withClient } from '../support/database';
import { cpuDuring, repeatedRuns, type RepeatedRuns } from '../support/cpu';
import { timed } from '../support/stats';
import { AggregationJobs, startWorker } from '../support/worker';

/**
 * "About 1,000,000 answers" read as item answers (one statement answered by one person), the
 * unit `answer` stores: 1,200 teams × 5 rounds is about 1.15 million member answers from about
 * 44,000 submissions, plus 0.16 million of leaders' self-views. Read as a million submissions it
 * would be some 26 million rows, which does not load and aggregate twice in ten minutes on two cores.
 */
const SYNTHETIC = { seed: 20260701, teams: 1_200, rounds: 5 };
const BASELINE_REPETITIONS = 3;

/**
 * Aggregation: every round of a large organisation aggregated by the real worker through BullMQ,
 * queued at once as the scheduler would after a bulk import, against one hand-written query for
 * the same per-team means.
 */
export const aggregation: BenchCase = {
  name: 'aggregation',
  title: 'Aggregation',
  async run(context) {
    const database = await context.database('aggregation');
    const settings = {
      database,
      redisUrl: context.redisUrl,
      redisPrefix: context.redisPrefix('aggregation'),
      logDir: context.logDir,
    };
    // Started before the data exists, so its start-up tick finds nothing to queue.
    const worker = await startWorker(settings, 'aggregation-worker');
    const jobs = await AggregationJobs.open(settings);
    try {
      return await withClient(database.url, async (client) => {
        context.log(`generating and copying ${SYNTHETIC.teams} teams × ${SYNTHETIC.rounds} rounds`);
        const synthetic = generateOrganisation(SYNTHETIC);
        const version = await builtInInstrument(client);
        const organisation = await copyOrganisation(client, 'bench-aggregation', synthetic);
        const loaded = await copyRounds(client, organisation, version, synthetic.rounds, {
          seed: SYNTHETIC.seed,
        });
        await settle(client);
        context.log(
          `${loaded.answers} item answers (${loaded.responses} submissions, ${loaded.leaderSelf} self-views) loaded`,
        );

        // A first run of the baseline warms the caches for both sides.
        let means: TeamMean[] = await teamMeans(client, organisation.id);
        // CPU time beside wall time: on a shared machine the wall time measures the neighbours too.
        const monitor = await connect(database.url);
        let productMs = 0;
        let productCpuMs = 0;
        let againMs = 0;
        let baseline: RepeatedRuns;
        try {
          const product = await cpuDuring(monitor, [worker.pid], () =>
            timed(() => jobs.aggregate(loaded.roundIds)),
          );
          productMs = product.result;
          productCpuMs = product.cpuMs;
          context.log(
            `product: ${(productMs / 1000).toFixed(1)} s for ${loaded.roundIds.length} rounds, CPU ${(productCpuMs / 1000).toFixed(1)} s (worker and PostgreSQL)`,
          );
          // Derived again on a new basis, as after a settings change or a unit move: every round
          // now meets the compositions its first derivation showed (the no-subtraction guard).
          await client.query('select bump_results_epoch($1)', [organisation.id]);
          againMs = await timed(() => jobs.aggregate(loaded.roundIds));
          context.log(`product, derived again on a new basis: ${(againMs / 1000).toFixed(1)} s`);
          baseline = await repeatedRuns(monitor, [process.pid], BASELINE_REPETITIONS, async () => {
            means = await teamMeans(client, organisation.id);
          });
        } finally {
          await monitor.end();
        }
        const { ms: baselineMs, cpuMs: baselineCpuMs } = baseline;
        context.log(
          `baseline: ${(baselineMs / 1000).toFixed(2)} s (median of ${BASELINE_REPETITIONS}), CPU ${(baselineCpuMs / 1000).toFixed(2)} s`,
        );
        await checkAgainstProduct(client, organisation.id, means);

        return [
          {
            case: `Aggregation: ${SYNTHETIC.teams} teams × ${SYNTHETIC.rounds} rounds`,
            product: { value: productMs / 1000, unit: 's' },
            baseline: { value: baselineMs / 1000, unit: 's' },
            ratioOf: 'product / baseline',
            ratio: productMs / baselineMs,
            goal: '≤ 2',
            met: productMs / baselineMs <= 2,
            details: {
              ...SYNTHETIC,
              productCpuMs,
              baselineCpuRunsMs: baseline.cpuRunsMs,
              ...loaded,
              roundIds: undefined,
              teamResults: means.length,
              baselineRunsMs: baseline.runsMs,
            },
          },
          {
            case: `Aggregation: the same rounds derived again on a new basis`,
            product: { value: againMs / 1000, unit: 's' },
            baseline: { value: baselineMs / 1000, unit: 's' },
            ratioOf: 'product / baseline',
            ratio: againMs / baselineMs,
            goal: 'reported',
            met: null,
          },
          {
            case: `Aggregation: CPU time (process + PostgreSQL)`,
            product: { value: productCpuMs / 1000, unit: 's' },
            baseline: { value: baselineCpuMs / 1000, unit: 's' },
            ratioOf: 'product / baseline',
            ratio: productCpuMs / baselineCpuMs,
            goal: 'reported',
            met: null,
          },
        ];
      });
    } finally {
      await jobs.close();
      await worker.stop();
    }
  },
};
