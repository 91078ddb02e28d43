/**
 * Submits pulse answers with autocannon from a process of its own, so the load's CPU is not the
 * server's. Each request uses the next unused link; a warm-up run (discarded) lets the server's
 * JIT and pools settle first. Prints one JSON object (LoadResult) on stdout.
 *
 * Usage: node load-generator.js '<LoadSettings as JSON>'
 */
import autocannon from 'autocannon';
import { AUTONOMY_ALIGNMENT_PULSE } from '../../libs/surveys/src/instrument';
import { pulseToken } from './pulse-token';

export interface LoadSettings {
  url: string;
  /** Links 0 … tokens − 1 exist (see pulse-token.ts). */
  tokens: number;
  /** The first link to use (default 0): lets a second run on the same database use fresh links. */
  firstToken?: number;
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface LoadResult {
  /** Stored answers (2xx) per second of the measured run. */
  answersPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  stored: number;
  /** Responses other than 2xx, and socket errors or timeouts, in the measured run. */
  failed: number;
  statusCodes: Record<string, number>;
  tokensUsed: number;
}

// Every statement answered, somewhere in the middle of the scale; the values do not matter here.
const BODY = JSON.stringify({
  answers: Object.fromEntries(
    AUTONOMY_ALIGNMENT_PULSE.items.map((item, i) => [item.key, 2 + (i % 3)]),
  ),
});

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]) as LoadSettings;
  let next = settings.firstToken ?? 0;
  const run = (seconds: number) =>
    autocannon({
      url: settings.url,
      connections: settings.connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: BODY,
          setupRequest: (request) => ({ ...request, path: `/pulse/${pulseToken(next++)}` }),
        },
      ],
    });

  await run(settings.warmupSeconds);
  const result = await run(settings.seconds);
  const tokensUsed = next - (settings.firstToken ?? 0);
  // A reused link answers 409, fast: figures from such a run would flatter the server.
  if (next > settings.tokens)
    throw new Error(`ran out of links: used ${tokensUsed} of ${settings.tokens}; create more`);
  const out: LoadResult = {
    answersPerSecond: result['2xx'] / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    stored: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]),
    ),
    tokensUsed,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
