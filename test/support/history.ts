import { AUTONOMY_ALIGNMENT_PULSE } from '@trellis/surveys';
import type { TestApp } from './test-app';
import { until } from './until';

export type Pattern = 'micromanaged' | 'healthy';

/**
 * History CSV lines for `people` respondents of one team. Micromanaged: no room to decide and a
 * lot of control; healthy: room, alignment and support. Answers alternate a little, so every
 * statistic has some spread.
 */
export function historyRows(teamKey: string, people: number, pattern: Pattern): string[] {
  const value = (dimension: string, reverse: boolean, i: number) => {
    const raw =
      pattern === 'micromanaged'
        ? dimension === 'decision_rights'
          ? 1 + (i % 2)
          : dimension === 'over_control'
            ? 5 - (i % 2)
            : 4
        : dimension === 'over_control'
          ? 1 + (i % 2)
          : 4 + (i % 2);
    return reverse ? 6 - raw : raw;
  };
  return Array.from({ length: people }, (_, i) =>
    [
      teamKey,
      ...AUTONOMY_ALIGNMENT_PULSE.items.map((it) => value(it.dimension, it.reverse, i)),
    ].join(','),
  );
}

export function historyCsv(lines: string[]): string {
  return [['team', ...AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key)].join(','), ...lines].join(
    '\n',
  );
}

/** Imports one round of history as HR and waits until a worker has aggregated it. */
export async function importRound(
  t: TestApp,
  orgId: string,
  token: string,
  period: { periodStart: string; periodEnd: string },
  csv: string,
): Promise<string> {
  const imported = await t.http
    .post(`/organisations/${orgId}/history-imports`)
    .query(period)
    .set('authorization', `Bearer ${token}`)
    .type('text/csv')
    .send(csv);
  if (imported.status !== 201)
    throw new Error(`history import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
  const roundId = imported.body.roundId as string;
  await until(
    'aggregation',
    async () =>
      (await t.db.query('select aggregated_at from round where id = $1', [roundId])).rows[0]
        .aggregated_at,
  );
  return roundId;
}
