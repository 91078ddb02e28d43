import { generateOrganisation } from '../../libs/synthetic/src';
import { checkAgainstProduct, teamMeans, type TeamMean } from '../aggregation/team-means';
import { builtInInstrument } from '../fixtures/instrument';
import { copyOrganisation, copyRounds, settle } from '../fixtures/organisation';
import type { BenchCase } from '../support/context';
import { withClient } from '../support/database';
import { median, timed } from '../support/stats';
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
        const productMs = await timed(() => jobs.aggregate(loaded.roundIds));
        context.log(
          `product: ${(productMs / 1000).toFixed(1)} s for ${loaded.roundIds.length} rounds`,
        );
        const baselineRuns: number[] = [];
        for (let i = 0; i < BASELINE_REPETITIONS; i++)
          baselineRuns.push(
            await timed(async () => {
              means = await teamMeans(client, organisation.id);
            }),
          );
        const baselineMs = median(baselineRuns);
        context.log(
          `baseline: ${(baselineMs / 1000).toFixed(2)} s (median of ${baselineRuns.length})`,
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
              ...loaded,
              roundIds: undefined,
              teamResults: means.length,
              baselineRunsMs: baselineRuns,
            },
          },
        ];
      });
    } finally {
      await jobs.close();
      await worker.stop();
    }
  },
};
