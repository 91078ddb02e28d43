import { generateOrganisation } from '../../libs/synthetic/src';
import { builtInInstrument } from '../fixtures/instrument';
import { copyOrganisation, copyRounds, settle } from '../fixtures/organisation';
import type { BenchCase, BenchContext } from '../support/context';
import { withClient } from '../support/database';
import type { Service } from '../support/processes';
import { median, timed } from '../support/stats';
import { AggregationJobs, startWorker } from '../support/worker';

const SEED = 20260702;
/** Earlier rounds of every team: flags compare a team with its last three. */
const HISTORY_ROUNDS = 3;
const SIZES = { small: 20, large: 2_000 };
const WARMUP = 2;
const REPETITIONS = 20;
/** "≈ 1": what a fixed per-round cost gives after a shared machine's noise. */
const TOLERANCE = 1.2;

interface Organisation {
  teams: number;
  worker: Service;
  jobs: AggregationJobs;
  newRoundId: string;
  respondents: number;
  historyAnswers: number;
}

/**
 * An organisation of `teams` teams with aggregated history, in its own database with its own
 * worker, and a new round for its first team alone. The first team is drawn from the same seeded
 * stream whatever the organisation's size, so both organisations' new rounds have the same
 * respondents.
 */
async function prepare(context: BenchContext, teams: number): Promise<Organisation> {
  const label = `growth_${teams}`;
  const database = await context.database(label);
  const settings = {
    database,
    redisUrl: context.redisUrl,
    redisPrefix: context.redisPrefix(`growth-${teams}`),
    logDir: context.logDir,
  };
  const worker = await startWorker(settings, `${label}-worker`);
  const jobs = await AggregationJobs.open(settings);
  try {
    return await withClient(database.url, async (client) => {
      const synthetic = generateOrganisation({ seed: SEED, teams, rounds: HISTORY_ROUNDS + 1 });
      const version = await builtInInstrument(client);
      const organisation = await copyOrganisation(client, `bench-${teams}`, synthetic);
      const history = await copyRounds(
        client,
        organisation,
        version,
        synthetic.rounds.slice(0, HISTORY_ROUNDS),
        { seed: SEED },
      );
      await settle(client);
      await jobs.aggregate(history.roundIds);
      const fresh = await copyRounds(
        client,
        organisation,
        version,
        synthetic.rounds.slice(HISTORY_ROUNDS),
        { seed: SEED, onlyTeams: new Set([synthetic.teams[0].key]) },
      );
      return {
        teams,
        worker,
        jobs,
        newRoundId: fresh.roundIds[0],
        respondents: fresh.responses,
        historyAnswers: history.answers,
      };
    });
  } catch (error) {
    await jobs.close();
    await worker.stop();
    throw error;
  }
}

/**
 * Growth: the cost of aggregating one team's new round should follow the round, not the size of
 * the organisation around it. Both organisations stay up side by side and their new rounds are
 * aggregated in alternation (the job is idempotent), so both see the same machine.
 */
export const growth: BenchCase = {
  name: 'growth',
  title: 'Growth',
  async run(context) {
    const prepared: Organisation[] = [];
    try {
      prepared.push(await prepare(context, SIZES.small));
      prepared.push(await prepare(context, SIZES.large));
      const [small, large] = prepared;
      if (small.respondents !== large.respondents)
        throw new Error(`new rounds differ: ${small.respondents} vs ${large.respondents} answered`);
      const runs = { small: [] as number[], large: [] as number[] };
      for (let i = 0; i < WARMUP + REPETITIONS; i++) {
        const smallMs = await timed(() => small.jobs.aggregate([small.newRoundId]));
        const largeMs = await timed(() => large.jobs.aggregate([large.newRoundId]));
        if (i < WARMUP) continue;
        runs.small.push(smallMs);
        runs.large.push(largeMs);
      }
      const smallMs = median(runs.small);
      const largeMs = median(runs.large);
      context.log(`median of ${REPETITIONS}: ${smallMs.toFixed(1)} ms vs ${largeMs.toFixed(1)} ms`);
      const describe = (o: Organisation) => ({
        teams: o.teams,
        respondents: o.respondents,
        historyAnswers: o.historyAnswers,
      });
      return [
        {
          case: 'Growth: one team’s round, 2,000 vs 20 teams',
          product: { value: largeMs, unit: 'ms' },
          baseline: { value: smallMs, unit: 'ms' },
          ratioOf: '2,000 teams / 20 teams',
          ratio: largeMs / smallMs,
          goal: `≈ 1 (≤ ${TOLERANCE})`,
          met: largeMs / smallMs <= TOLERANCE,
          details: {
            historyRounds: HISTORY_ROUNDS,
            small: describe(small),
            large: describe(large),
            runsMs: runs,
          },
        },
      ];
    } finally {
      for (const o of prepared) {
        await o.jobs.close();
        await o.worker.stop();
      }
    }
  },
};
