import { resolve } from 'node:path';
import { AUTONOMY_ALIGNMENT_PULSE } from '../../libs/surveys/src/instrument';
import { builtInInstrument } from '../fixtures/instrument';
import { createOpenRound, type OpenRound } from '../fixtures/open-round';
import type { LoadResult, LoadSettings } from '../intake/load-generator';
import type { BenchCase, BenchContext } from '../support/context';
import { connect, withClient, type BenchDatabase } from '../support/database';
import { cpuDuring } from '../support/cpu';
import { createMinimalRound } from '../intake/independent-schema';
import { BASELINE_SERVER, INDEPENDENT_SERVER, LOAD_GENERATOR } from '../support/paths';
import { freePort, runNode, startService, type Service } from '../support/processes';
import { startApi, startWorker } from '../support/worker';
import type { Comparison } from '../support/report';

/**
 * Links per server: more than the fastest server can use in warm-up plus run on this machine
 * (the load generator refuses to report a run that ran out).
 */
const TEAMS = 12_000;
const MEMBERS_PER_TEAM = 10;
/** Teams answering at once: several times the connections, so few requests wait on a team lock. */
const WAVE = 200;
const LOAD = { connections: 32, warmupSeconds: 3, seconds: 15 };
/** The product's default; the baseline gets the same number of connections. */
const POOL_SIZE = 10;

async function seed(database: BenchDatabase): Promise<OpenRound> {
  return withClient(database.url, async (client) => {
    const version = await builtInInstrument(client);
    const round = await createOpenRound(client, version, {
      teams: TEAMS,
      membersPerTeam: MEMBERS_PER_TEAM,
      wave: WAVE,
    });
    await client.query('vacuum (analyze)');
    return round;
  });
}

/** The independent baseline's own tables, with the same numbered links as the product's. */
async function seedMinimal(database: BenchDatabase): Promise<OpenRound> {
  return withClient(database.url, async (client) => {
    await createMinimalRound(client, {
      links: TEAMS * MEMBERS_PER_TEAM,
      membersPerTeam: MEMBERS_PER_TEAM,
      itemKeys: AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key),
    });
    return { organisationId: '', roundId: '', invitations: TEAMS * MEMBERS_PER_TEAM };
  });
}

async function load(url: string, round: OpenRound): Promise<LoadResult> {
  const settings: LoadSettings = {
    url,
    tokens: round.invitations,
    ...LOAD,
  };
  const result = JSON.parse(
    await runNode(LOAD_GENERATOR, [JSON.stringify(settings)]),
  ) as LoadResult;
  if (result.failed > 0)
    throw new Error(`${result.failed} submissions failed: ${JSON.stringify(result.statusCodes)}`);
  return result;
}

interface Stored {
  answers: number;
  /** Moves from the pool into responses, and how many of them moved fewer than five answers. */
  mixes: number;
  mixesBelowFive: number;
}

/**
 * Checks that every stored answer is either still pooled or already mixed into responses, and
 * counts the mixer's batches: each batch is one transaction, so its responses share an xmin.
 */
async function checkStored(database: BenchDatabase, round: OpenRound): Promise<Stored> {
  return withClient(database.url, async (client) => {
    const { rows } = await client.query<{ answered: number; stored: number }>(
      `select (select count(*) from participation where round_id = $1)::int as answered,
              ((select count(*) from response_pool where round_id = $1)
               + (select count(*) from response where round_id = $1))::int as stored`,
      [round.roundId],
    );
    if (rows[0].answered !== rows[0].stored)
      throw new Error(
        `${rows[0].answered} invitations answered but ${rows[0].stored} answers stored`,
      );
    const { rows: batches } = await client.query<{ mixes: number; below: number }>(
      `select count(*)::int as mixes, (count(*) filter (where n < 5))::int as below
         from (select count(*) as n from response where round_id = $1 group by xmin::text) b`,
      [round.roundId],
    );
    return { answers: rows[0].stored, mixes: batches[0].mixes, mixesBelowFive: batches[0].below };
  });
}

/**
 * Loads one server. Besides throughput and latency, the CPU time its process (and `alsoPids`,
 * the product's worker) and its database's server processes spent per stored answer, warm-up
 * included: on a machine shared with other work that moves much less than throughput does.
 */
async function measure<S extends { answers: number }>(
  context: BenchContext,
  database: BenchDatabase,
  round: OpenRound,
  start: (port: number) => Promise<Service>,
  check: () => Promise<S>,
  alsoPids: number[] = [],
): Promise<LoadResult & { inDatabase: S; cpuMsPerAnswer: number }> {
  const port = await freePort();
  const server = await start(port);
  const monitor = await connect(database.url);
  try {
    const { result, cpuMs } = await cpuDuring(monitor, [server.pid, ...alsoPids], () =>
      load(`http://127.0.0.1:${port}`, round),
    );
    // Warm-up answers are stored too, and the CPU was spent on all of them.
    const inDatabase = await check();
    const cpuMsPerAnswer = cpuMs / Math.max(1, inDatabase.answers);
    context.log(
      `${server.name}: ${result.answersPerSecond.toFixed(0)} answers/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms, CPU ${cpuMsPerAnswer.toFixed(2)} ms an answer`,
    );
    return { ...result, inDatabase, cpuMsPerAnswer };
  } finally {
    await monitor.end();
    await server.stop();
  }
}

/** The independent baseline stored one participation and 12 answer rows per 201. */
async function checkMinimal(database: BenchDatabase): Promise<{ answers: number }> {
  return withClient(database.url, async (client) => {
    const { rows } = await client.query<{ participated: number; answers: number }>(
      `select (select count(*) from minimal.participated)::int as participated,
              (select count(*) from minimal.answer)::int as answers`,
    );
    const items = AUTONOMY_ALIGNMENT_PULSE.items.length;
    if (rows[0].answers !== rows[0].participated * items)
      throw new Error(`${rows[0].participated} participations but ${rows[0].answers} answer rows`);
    return { answers: rows[0].participated };
  });
}

/** How often the worker's tick looks for a pool to mix while the product is loaded (production: 30 s). */
const MIX_TICK_MS = 5_000;

/**
 * Answer intake: POST /pulse/:token on the built API with production settings (only the
 * per-address request limit raised, since all load comes from one address), with the real worker
 * mixing the pool on its tick meanwhile, against two baselines on Fastify and plain `pg`, each on
 * a database of its own: the independent one (bench/intake/independent-server.ts: the least a
 * correct intake does, sharing nothing with the product) shows what the design and the framework
 * cost together; the same-SQL one (baseline-server.ts: the product's own statements and sealing)
 * shows the framework's share alone.
 */
export const intake: BenchCase = {
  name: 'intake',
  title: 'Answer intake',
  async run(context) {
    const productDb = await context.database('intake_product');
    const baselineDb = await context.database('intake_baseline');
    const independentDb = await context.database('intake_independent');
    context.log(`creating ${TEAMS * MEMBERS_PER_TEAM} invited members in each database`);
    const [productRound, baselineRound, independentRound] = await Promise.all([
      seed(productDb),
      seed(baselineDb),
      seedMinimal(independentDb),
    ]);

    const independent = await measure(
      context,
      independentDb,
      independentRound,
      (port) =>
        startService({
          name: 'independent',
          script: INDEPENDENT_SERVER,
          env: {
            PORT: String(port),
            DATABASE_URL: independentDb.url,
            DATABASE_POOL_SIZE: String(POOL_SIZE),
          },
          ready: /independent baseline: listening/,
          logPath: resolve(context.logDir, 'intake-independent.log'),
        }),
      () => checkMinimal(independentDb),
    );
    const redisPrefix = context.redisPrefix('intake');
    const worker = await startWorker(
      {
        database: productDb,
        redisUrl: context.redisUrl,
        redisPrefix,
        logDir: context.logDir,
        env: { SCHEDULER_TICK_MS: String(MIX_TICK_MS) },
      },
      'intake-worker',
    );
    let product: LoadResult & { inDatabase: Stored; cpuMsPerAnswer: number };
    try {
      product = await measure(
        context,
        productDb,
        productRound,
        (port) =>
          startApi(
            {
              database: productDb,
              redisUrl: context.redisUrl,
              redisPrefix,
              logDir: context.logDir,
              env: {
                DATABASE_POOL_SIZE: String(POOL_SIZE),
                REQUEST_LIMIT_PER_MINUTE: '1000000',
              },
            },
            'intake-api',
            port,
          ),
        () => checkStored(productDb, productRound),
        [worker.pid],
      );
    } finally {
      await worker.stop();
    }
    if (product.inDatabase.mixesBelowFive)
      context.log(
        `api: ${product.inDatabase.mixesBelowFive} of ${product.inDatabase.mixes} pool moves took fewer than five answers`,
      );
    const baseline = await measure(
      context,
      baselineDb,
      baselineRound,
      (port) =>
        startService({
          name: 'same-sql',
          script: BASELINE_SERVER,
          env: {
            PORT: String(port),
            DATABASE_URL: baselineDb.url,
            DATABASE_POOL_SIZE: String(POOL_SIZE),
          },
          ready: /baseline: listening/,
          logPath: resolve(context.logDir, 'intake-baseline.log'),
        }),
      () => checkStored(baselineDb, baselineRound),
    );

    const details = {
      ...LOAD,
      poolSize: POOL_SIZE,
      mixTickMs: MIX_TICK_MS,
      product,
      independent,
      sameSql: baseline,
    };
    const throughput = product.answersPerSecond / independent.answersPerSecond;
    const rows: Comparison[] = [
      {
        case: 'Answer intake: throughput, independent baseline',
        product: { value: product.answersPerSecond, unit: 'answers/s' },
        baseline: { value: independent.answersPerSecond, unit: 'answers/s' },
        ratioOf: 'product / baseline',
        ratio: throughput,
        goal: '≥ 0.5',
        met: throughput >= 0.5,
        details,
      },
      {
        case: 'Answer intake: p99 latency, independent baseline',
        product: { value: product.p99Ms, unit: 'ms' },
        baseline: { value: independent.p99Ms, unit: 'ms' },
        ratioOf: 'product / baseline',
        ratio: product.p99Ms / independent.p99Ms,
        goal: 'product < 100 ms',
        met: product.p99Ms < 100,
      },
      {
        case: 'Answer intake: CPU an answer, independent baseline',
        product: { value: product.cpuMsPerAnswer, unit: 'ms' },
        baseline: { value: independent.cpuMsPerAnswer, unit: 'ms' },
        ratioOf: 'baseline / product',
        ratio: independent.cpuMsPerAnswer / product.cpuMsPerAnswer,
        goal: 'reported (≈ throughput on an idle machine)',
        met: null,
      },
      {
        case: 'Answer intake: throughput, same-SQL baseline',
        product: { value: product.answersPerSecond, unit: 'answers/s' },
        baseline: { value: baseline.answersPerSecond, unit: 'answers/s' },
        ratioOf: 'product / baseline',
        ratio: product.answersPerSecond / baseline.answersPerSecond,
        goal: 'reported (framework)',
        met: null,
      },
      {
        case: 'Answer intake: p99 latency, same-SQL baseline',
        product: { value: product.p99Ms, unit: 'ms' },
        baseline: { value: baseline.p99Ms, unit: 'ms' },
        ratioOf: 'product / baseline',
        ratio: product.p99Ms / baseline.p99Ms,
        goal: 'reported',
        met: null,
      },
    ];
    return rows;
  },
};
