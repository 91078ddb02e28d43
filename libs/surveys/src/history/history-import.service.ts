import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalid } from '@trellis/errors';
import { InstrumentsService } from '../instruments.service';
import type { InstrumentDef } from '../instrument';
import { MIX_BATCH, mixPool } from '../response-mixer';
import { closedRoundChanged, earlierRoundArrived, ResultsRederivation } from '../results-basis';
import { parseHistoryCsv, type HistoryProblem } from './history-csv';

export interface HistoryImportInput {
  instrumentId?: string;
  /** Import into this closed round; without it, a new closed round is made for the period. */
  roundId?: string;
  periodStart?: string;
  periodEnd?: string;
}

export interface HistoryImportSummary {
  roundId: string;
  respondents: number;
  teams: { teamKey: string; respondents: number }[];
}

function rejected(problems: HistoryProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    message: `the file has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was imported`,
    problems,
  });
}

/**
 * Brings a previous tool's answers in as a closed round. The whole file is checked before
 * anything is written; the answers pass through the same shuffling pool as live ones.
 */
@Injectable()
export class HistoryImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly instruments: InstrumentsService,
    private readonly rederivation: ResultsRederivation,
  ) {}

  async import(
    organisationId: string,
    csv: string,
    input: HistoryImportInput,
  ): Promise<HistoryImportSummary> {
    const target = await this.resolveTarget(organisationId, input);
    const teams = await this.db.query<{ id: string; key: string }[]>(
      `select id, key from unit where organisation_id = $1 and kind = 'team'`,
      [organisationId],
    );
    const teamId = new Map(teams.map((t) => [t.key, t.id]));
    const parsed = parseHistoryCsv(csv, target.definition, { teamKeys: new Set(teamId.keys()) });
    if (!parsed.ok) throw rejected(parsed.problems);
    // Domain rule: a late import changes a closed round only if it moves at least k respondents.
    if (target.roundId && parsed.rows.length < MIX_BATCH) {
      throw invalid({
        field: 'file',
        message: `an import into an existing round needs at least ${MIX_BATCH} respondents`,
      });
    }

    const summary = await this.db.transaction(async (tx) => {
      // First, before any row of the round is locked: an aggregation holding the basis finishes first.
      if (target.roundId) await closedRoundChanged(tx, organisationId);
      else await earlierRoundArrived(tx, organisationId, target.periodStart!);
      let roundId = target.roundId;
      if (!roundId) {
        const version = await this.instruments.versionForRound(tx, target.instrumentId);
        const [round] = await tx.query<{ id: string }[]>(
          `insert into round (organisation_id, campaign_id, instrument_version_id, form, period_start, period_end,
             opens_at, closes_at, item_keys, status, closed_at, source)
           values ($1, null, $2, 'imported', $3, $4, $3::date, $4::date + 1, $5, 'closed', now(), 'import') returning id`,
          [organisationId, version.id, target.periodStart, target.periodEnd, parsed.itemKeys],
        );
        roundId = round.id;
      }
      const counts = new Map<string, number>();
      for (const row of parsed.rows) counts.set(row.teamKey, (counts.get(row.teamKey) ?? 0) + 1);
      await tx.query(
        `insert into round_team (organisation_id, round_id, unit_id, invited)
         select $1, $2, unnest($3::uuid[]), 0 on conflict do nothing`,
        [organisationId, roundId, [...counts.keys()].map((k) => teamId.get(k))],
      );
      await tx.query(
        `insert into response_pool (organisation_id, round_id, unit_id, answers)
         select $1, $2, t.unit_id, t.answers from unnest($3::uuid[], $4::jsonb[]) as t(unit_id, answers)`,
        [
          organisationId,
          roundId,
          parsed.rows.map((r) => teamId.get(r.teamKey)),
          parsed.rows.map((r) =>
            JSON.stringify(Object.fromEntries(r.answers.map((a) => [a.itemKey, a.value]))),
          ),
        ],
      );
      await mixPool(tx, roundId, 1, 'import');
      await tx.query(`update round set aggregated_at = null where id = $1`, [roundId]);
      return {
        roundId,
        respondents: parsed.rows.length,
        teams: [...counts.entries()].map(([teamKey, respondents]) => ({ teamKey, respondents })),
      };
    });
    // The organisation's oldest stale round first (this one, unless it arrived before others).
    await this.rederivation.start(organisationId);
    return summary;
  }

  private async resolveTarget(
    organisationId: string,
    input: HistoryImportInput,
  ): Promise<{
    roundId?: string;
    instrumentId: string;
    definition: InstrumentDef;
    periodStart?: string;
    periodEnd?: string;
  }> {
    if (input.roundId) {
      const [round] = await this.db.query<
        { status: string; definition: InstrumentDef; instrumentId: string }[]
      >(
        `select r.status, v.definition, v.instrument_id as "instrumentId" from round r
           join instrument_version v on v.id = r.instrument_version_id where r.id = $1 and r.organisation_id = $2`,
        [input.roundId, organisationId],
      );
      if (!round)
        throw invalid({ field: 'roundId', message: 'no such round in this organisation' });
      if (round.status !== 'closed')
        throw invalid({
          field: 'roundId',
          message: 'answers can only be imported into a closed round',
        });
      return {
        roundId: input.roundId,
        instrumentId: round.instrumentId,
        definition: round.definition,
      };
    }
    if (!input.periodStart || !input.periodEnd) {
      throw invalid([
        ...(input.periodStart
          ? []
          : [{ field: 'periodStart', message: 'is required without roundId' }]),
        ...(input.periodEnd
          ? []
          : [{ field: 'periodEnd', message: 'is required without roundId' }]),
      ]);
    }
    if (input.periodEnd < input.periodStart)
      throw invalid({ field: 'periodEnd', message: 'must not be before periodStart' });
    if (new Date(`${input.periodEnd}T00:00:00Z`) > new Date())
      throw invalid({ field: 'periodEnd', message: 'must be in the past' });
    const instrumentId = input.instrumentId ?? (await this.instruments.builtInId());
    const [version] = await this.db.query<{ definition: InstrumentDef }[]>(
      `select v.definition from instrument_version v join instrument i on i.id = v.instrument_id
        where i.id = $1 and (i.organisation_id is null or i.organisation_id = $2) order by v.version desc limit 1`,
      [instrumentId, organisationId],
    );
    if (!version)
      throw invalid({ field: 'instrumentId', message: 'no such instrument in this organisation' });
    return {
      instrumentId,
      definition: version.definition,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
    };
  }
}
