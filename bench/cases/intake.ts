import { resolve } from 'node:path';
import { builtInInstrument } from '../fixtures/instrument';
import { createOpenRound, type OpenRound } from '../fixtures/open-round';
import type { LoadResult, LoadSettings } from '../intake/load-generator';
import type { BenchCase, BenchContext } from '../support/context';
import { withClient, type BenchDatabase } from '../support/database';
import { API, BASELINE_SERVER, LOAD_GENERATOR } from '../support/paths';
import { freePort, runNode, startService, type Service } from '../support/processes';
import type { Comparison } from '../support/report';

/**
 * Links per server: more than the fastest server can use in warm-up plus run on this machine
 * (the load generator refuses to report a run that ran out).
 */
const TEAMS = 6_000;
const MEMBERS_PER_TEAM = 10;
/** Teams answering at once: several times the connections, so few requests wait on a team lock. */
const WAVE = 200;
const LOAD = { connections: 32, warmupSeconds: 5, seconds: 20 };
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

async function measure(
  context: BenchContext,
  database: BenchDatabase,
  round: OpenRound,
  start: (port: number) => Promise<Service>,
): Promise<LoadResult & { inDatabase: Stored }> {
  const port = await freePort();
  const server = await start(port);
  try {
    const result = await load(`http://127.0.0.1:${port}`, round);
    context.log(
      `${server.name}: ${result.answersPerSecond.toFixed(0)} answers/s, p99 ${result.p99Ms} ms`,
    );
    const inDatabase = await checkStored(database, round);
    if (inDatabase.mixesBelowFive)
      context.log(
        `${server.name}: ${inDatabase.mixesBelowFive} of ${inDatabase.mixes} pool moves took fewer than five answers`,
      );
    return { ...result, inDatabase };
  } finally {
    await server.stop();
  }
}

/**
 * Answer intake: POST /pulse/:token on the built API with production settings (only the
 * per-address request limit raised, since all load comes from one address) against the Fastify
 * baseline doing the same statements. Each server gets its own identical database.
 */
export const intake: BenchCase = {
  name: 'intake',
  title: 'Answer intake',
  async run(context) {
    const productDb = await context.database('intake_product');
    const baselineDb = await context.database('intake_baseline');
    context.log(`creating ${TEAMS * MEMBERS_PER_TEAM} invited members in each database`);
    const [productRound, baselineRound] = await Promise.all([seed(productDb), seed(baselineDb)]);

    const product = await measure(context, productDb, productRound, (port) =>
      startService({
        name: 'api',
        script: API,
        env: {
          NODE_ENV: 'production',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: productDb.url,
          DATABASE_POOL_SIZE: String(POOL_SIZE),
          REDIS_URL: context.redisUrl,
          REDIS_PREFIX: context.redisPrefix('intake'),
          REQUEST_LIMIT_PER_MINUTE: '1000000',
        },
        ready: /trellis api: listening/,
        logPath: resolve(context.logDir, 'intake-api.log'),
      }),
    );
    const baseline = await measure(context, baselineDb, baselineRound, (port) =>
      startService({
        name: 'baseline',
        script: BASELINE_SERVER,
        env: {
          PORT: String(port),
          DATABASE_URL: baselineDb.url,
          DATABASE_POOL_SIZE: String(POOL_SIZE),
        },
        ready: /baseline: listening/,
        logPath: resolve(context.logDir, 'intake-baseline.log'),
      }),
    );

    const details = { ...LOAD, poolSize: POOL_SIZE, product, baseline };
    const rows: Comparison[] = [
      {
        case: 'Answer intake: throughput',
        product: { value: product.answersPerSecond, unit: 'answers/s' },
        baseline: { value: baseline.answersPerSecond, unit: 'answers/s' },
        ratioOf: 'product / baseline',
        ratio: product.answersPerSecond / baseline.answersPerSecond,
        goal: '≥ 0.5',
        met: product.answersPerSecond / baseline.answersPerSecond >= 0.5,
        details,
      },
      {
        case: 'Answer intake: p99 latency',
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
