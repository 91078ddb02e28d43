import { cpus, release, totalmem } from 'node:os';
import { Client } from 'pg';
import Redis from 'ioredis';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
  /** PostgreSQL settings that move these figures most; printed so runs can be compared. */
  postgresSettings: Record<string, string>;
}

const SETTINGS = [
  'shared_buffers',
  'work_mem',
  'synchronous_commit',
  'max_parallel_workers_per_gather',
];

export async function machineInfo(postgresUrl: string, redisUrl: string): Promise<MachineInfo> {
  const pg = new Client({ connectionString: postgresUrl });
  await pg.connect();
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    const { rows } = await pg.query<{ name: string; setting: string }>(
      `select name, current_setting(name) as setting from unnest($1::text[]) as name`,
      [SETTINGS],
    );
    const [{ version }] = (
      await pg.query<{ version: string }>(`select current_setting('server_version') as version`)
    ).rows;
    await redis.connect();
    const server = await redis.info('server');
    const cpu = cpus();
    return {
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      os: `${process.platform} ${release()}`,
      node: process.version,
      postgres: version,
      redis: /redis_version:(\S+)/.exec(server)?.[1] ?? 'unknown',
      postgresSettings: Object.fromEntries(rows.map((r) => [r.name, r.setting])),
    };
  } finally {
    await pg.end();
    redis.disconnect();
  }
}

export function formatMachine(m: MachineInfo): string {
  const settings = Object.entries(m.postgresSettings)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `CPU        ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB`,
    `OS         ${m.os}`,
    `Node       ${m.node}`,
    `PostgreSQL ${m.postgres} (${settings})`,
    `Redis      ${m.redis}`,
  ].join('\n');
}
