import { ConfigError, parseEnv, type Env } from './env';
import { preflight } from './preflight';

/**
 * The first thing every process runs: validated configuration and reachable services, or one
 * line per problem on stderr and exit code 1.
 */
export async function loadEnvOrExit(processName: string, checkServices = true): Promise<Env> {
  let env: Env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`trellis ${processName}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  if (checkServices) {
    const problems = await preflight(env);
    if (problems.length > 0) {
      for (const p of problems) process.stderr.write(`trellis ${processName}: ${p}\n`);
      process.exit(1);
    }
  }
  return env;
}
