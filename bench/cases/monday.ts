import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { builtInInstrument } from '../fixtures/instrument';
import { startMailSink, type MailSink } from '../monday/mail-sink';
import { createMondayOrganisation, type MondayOrganisation } from '../monday/organisation';
import type { BenchCase, BenchContext } from '../support/context';
import { withClient, type BenchDatabase } from '../support/database';
import { MONDAY_BASELINE, WORKER } from '../support/paths';
import { machineBusySince } from '../support/cpu';
import { runNode, startService, type Service } from '../support/processes';
import type { Comparison } from '../support/report';

/**
 * Teams of ten invited when the round opens. The goal is 100,000 people
 * (BENCH_MONDAY_TEAMS=10000); by default 1,000 teams, 10,000 people, since at the rate measured on
 * the two-core development machine (about 100 invitations/s) the full size takes some 17 minutes
 * per configuration and the case runs three.
 */
const TEAMS = Number(process.env.BENCH_MONDAY_TEAMS ?? 1_000);
const MEMBERS = 10;
const TIMEOUT_MS = 45 * 60_000;

interface Opening {
  workers: number;
  seconds: number;
  invitationsPerSecond: number;
  /** Each worker's peak resident memory (VmHWM), MiB. */
  peakMiB: number[];
  /** Share of the machine's CPU time that was busy while the round opened (0–1). */
  machineBusy: number;
}

function peakMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Every person got exactly one message, and nobody else got any. */
function checkExactlyOnce(sink: MailSink, people: number, who: string): void {
  const twice = [...sink.received.values()].filter((count) => count !== 1).length;
  if (sink.received.size !== people || twice > 0 || sink.total() !== people)
    throw new Error(
      `${who}: ${sink.total()} messages to ${sink.received.size} addresses for ${people} people (${twice} addresses got more than one)`,
    );
}

async function seed(database: BenchDatabase): Promise<MondayOrganisation> {
  return withClient(database.url, async (client) =>
    createMondayOrganisation(client, await builtInInstrument(client), {
      teams: TEAMS,
      members: MEMBERS,
    }),
  );
}

/**
 * The product: `workers` real worker processes start; the first scheduler tick opens the round
 * (round_team and invitation rows), which queues its invitation jobs by team batch; each job sends
 * one person per transaction — a fresh link, its hash stored, the message handed to SMTP. Timed
 * from the round's creation (its `created_at`) to the last message received.
 */
async function openWithWorkers(
  context: BenchContext,
  database: BenchDatabase,
  org: MondayOrganisation,
  sink: MailSink,
  workers: number,
): Promise<Opening> {
  sink.reset();
  const prefix = context.redisPrefix(`monday-${workers}`);
  const started: Service[] = [];
  try {
    for (let i = 0; i < workers; i++)
      started.push(
        await startService({
          name: `monday-worker-${workers}-${i}`,
          script: WORKER,
          env: {
            NODE_ENV: 'production',
            DATABASE_URL: database.url,
            REDIS_URL: context.redisUrl,
            REDIS_PREFIX: prefix,
            SCHEDULER_TICK_MS: String(3_600_000),
            SMTP_URL: sink.url,
          },
          ready: /trellis worker: processing jobs/,
          logPath: resolve(context.logDir, `monday-worker-${workers}-${i}.log`),
        }),
      );
    const deadline = Date.now() + TIMEOUT_MS;
    const busy = machineBusySince();
    while (sink.total() < org.people) {
      if (Date.now() > deadline)
        throw new Error(`${workers} worker(s): ${sink.total()} of ${org.people} sent in time`);
      await sleep(100);
    }
    const done = Date.now();
    const machineBusy = busy();
    const peaks = started.map((w) => peakMiB(w.pid));
    // Anything more that was going to arrive would arrive now.
    await sleep(2_000);
    checkExactlyOnce(sink, org.people, `${workers} worker(s)`);
    const opened = await withClient(database.url, async (client) => {
      const { rows } = await client.query<{ opened: number; sent: number }>(
        `select (extract(epoch from r.created_at) * 1000)::float8 as opened,
                (select count(*) from invitation i where i.round_id = r.id and i.sent_at is not null)::int as sent
           from round r where r.organisation_id = $1`,
        [org.organisationId],
      );
      if (rows.length !== 1 || rows[0].sent !== org.people)
        throw new Error(`${workers} worker(s): ${JSON.stringify(rows)} for ${org.people} people`);
      return rows[0].opened;
    });
    const seconds = (done - opened) / 1000;
    context.log(
      `${workers} worker(s): ${org.people} invitations in ${seconds.toFixed(1)} s (${(org.people / seconds).toFixed(0)}/s), peak ${peaks.map((p) => p.toFixed(0)).join(' + ')} MiB, machine CPU ${(machineBusy * 100).toFixed(0)} % busy`,
    );
    return {
      workers,
      seconds,
      invitationsPerSecond: org.people / seconds,
      peakMiB: peaks,
      machineBusy,
    };
  } finally {
    for (const worker of started) await worker.stop();
  }
}

/** The baseline in a process of its own (bench/monday/baseline-sender.ts), on its own database. */
async function openWithBaseline(
  context: BenchContext,
  database: BenchDatabase,
  org: MondayOrganisation,
  sink: MailSink,
): Promise<Opening> {
  sink.reset();
  const roundId = await withClient(database.url, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `insert into round (organisation_id, campaign_id, instrument_version_id, form, period_start, period_end,
         opens_at, closes_at, item_keys, source)
       select $1, c.id, v.id, 'full', current_date, current_date, now(), now() + interval '1 day', '{}', 'schedule'
         from campaign c join instrument_version v on v.instrument_id = c.instrument_id where c.id = $2
       returning id`,
      [org.organisationId, org.campaignId],
    );
    return rows[0].id;
  });
  const started = Date.now();
  const out = await runNode(MONDAY_BASELINE, [], {
    DATABASE_URL: database.url,
    SMTP_URL: sink.url,
    ROUND_ID: roundId,
    ORGANISATION_ID: org.organisationId,
  });
  const seconds = (Date.now() - started) / 1000;
  if (Number(out.trim()) !== org.people) throw new Error(`baseline sent ${out.trim()}`);
  await sleep(500);
  checkExactlyOnce(sink, org.people, 'baseline');
  context.log(
    `baseline: ${org.people} invitations in ${seconds.toFixed(1)} s (${(org.people / seconds).toFixed(0)}/s)`,
  );
  return {
    workers: 0,
    seconds,
    invitationsPerSecond: org.people / seconds,
    peakMiB: [],
    machineBusy: NaN,
  };
}

/**
 * Monday 09:00: a round opens for every person of a large organisation at once — invitations
 * created, links generated, one email each handed to a local SMTP server — by one worker and by
 * two, against a baseline doing the same inserts and the same nodemailer sends.
 */
export const monday: BenchCase = {
  name: 'monday',
  title: 'Monday 09:00',
  async run(context) {
    const sink = await startMailSink();
    try {
      const one = await context.database('monday_one');
      const two = await context.database('monday_two');
      const base = await context.database('monday_baseline');
      context.log(`creating ${TEAMS} teams of ${MEMBERS} in each of three databases`);
      const [orgOne, orgTwo, orgBase] = await Promise.all([seed(one), seed(two), seed(base)]);
      const single = await openWithWorkers(context, one, orgOne, sink, 1);
      const pair = await openWithWorkers(context, two, orgTwo, sink, 2);
      const baseline = await openWithBaseline(context, base, orgBase, sink);
      const details = { teams: TEAMS, members: MEMBERS, single, pair, baseline };
      const rows: Comparison[] = [
        {
          case: `Monday 09:00: open a round for ${orgOne.people.toLocaleString('en-GB')} people`,
          product: { value: single.invitationsPerSecond, unit: 'invitations/s' },
          baseline: { value: baseline.invitationsPerSecond, unit: 'invitations/s' },
          ratioOf: 'product (1 worker) / baseline',
          ratio: single.invitationsPerSecond / baseline.invitationsPerSecond,
          goal: 'reported',
          met: null,
          details,
        },
        {
          case: 'Monday 09:00: a second worker',
          product: { value: pair.seconds, unit: 's' },
          baseline: { value: single.seconds, unit: 's' },
          ratioOf: '2 workers / 1 worker',
          ratio: pair.seconds / single.seconds,
          goal: '≈ 0.5 (≤ 0.6)',
          met: pair.seconds / single.seconds <= 0.6,
        },
        {
          case: 'Monday 09:00: worker peak memory',
          product: { value: single.peakMiB[0], unit: 'MiB' },
          baseline: { value: Math.max(...pair.peakMiB), unit: 'MiB' },
          ratioOf: '1 worker / larger of 2',
          ratio: single.peakMiB[0] / Math.max(...pair.peakMiB),
          goal: 'reported',
          met: null,
        },
        {
          // Where one worker already keeps the machine busy, a second has no cores to use.
          case: 'Monday 09:00: machine CPU busy while opening',
          product: { value: pair.machineBusy * 100, unit: '% (2 workers)' },
          baseline: { value: single.machineBusy * 100, unit: '% (1 worker)' },
          ratioOf: '2 workers / 1 worker',
          ratio: pair.machineBusy / single.machineBusy,
          goal: 'reported',
          met: null,
        },
      ];
      return rows;
    } finally {
      await sink.close();
    }
  },
};
