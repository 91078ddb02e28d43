import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalid } from '@trellis/errors';
import { anonymityOf } from '@trellis/organisation';
import { InstrumentsService } from '../instruments.service';
import { validateComments, type InstrumentDef, type ThemedComment } from '../instrument';
import { closedRoundChanged, earlierRoundArrived, ResultsRederivation } from '../results-basis';
import { CONVERSATION_TOKEN_SHAPE } from '../pulse.service';
import { storeSealed } from '../response-mixer';
import { AnswerSealer } from '../sealing';
import { parseHistoryCsv, type HistoryProblem } from './history-csv';

export interface HistoryImportInput {
  instrumentId?: string;
  /** Import into this closed round; without it, a new closed round is made for the period. */
  roundId?: string;
  periodStart?: string;
  periodEnd?: string;
}

/**
 * Beside the file, from callers inside the application (the demo's history), never from the
 * HTTP route: the CSV format has no comments.
 */
export interface HistoryImportExtras {
  /**
   * Per data row of the file, in its order, that respondent's comments (`{ comment?, comments? }`
   * checked as a submission's); null or missing for none. Stored as the round's sealed, shuffled
   * comment rows, one per respondent who commented, exactly as a pulse round's.
   */
  comments?: readonly unknown[];
  /**
   * Per data row, a conversation link (`trl_c_…`) for that respondent's comments, or null: kept
   * only as its keyed hash on their comment row, as a pulse submission's, so the link opens their
   * conversation. Only on a row with comments.
   */
  conversations?: readonly unknown[];
}

type RowComments = { comment: string | null; comments: ThemedComment[] } | null;

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
    private readonly sealer: AnswerSealer,
  ) {}

  async import(
    organisationId: string,
    csv: string,
    input: HistoryImportInput,
    extras: HistoryImportExtras = {},
  ): Promise<HistoryImportSummary> {
    const target = await this.resolveTarget(organisationId, input);
    const teams = await this.db.query<{ id: string; key: string }[]>(
      `select id, key from unit where organisation_id = $1 and kind = 'team'`,
      [organisationId],
    );
    const teamId = new Map(teams.map((t) => [t.key, t.id]));
    const parsed = parseHistoryCsv(csv, target.definition, { teamKeys: new Set(teamId.keys()) });
    if (!parsed.ok) throw rejected(parsed.problems);
    const rowComments = readRowComments(extras.comments, parsed.rows.length, target);
    const rowConversations = readRowConversations(extras.conversations, rowComments);
    const counts = new Map<string, number>();
    for (const row of parsed.rows) counts.set(row.teamKey, (counts.get(row.teamKey) ?? 0) + 1);
    // Domain rule: a late import changes a closed round only if it moves at least k respondents
    // of every team it touches; fewer would let the difference of two results be those people.
    if (target.roundId) {
      const k = (await anonymityOf(this.db, organisationId)).minGroupSize;
      const short = [...counts].filter(([, n]) => n < k).map(([key, n]) => `${key} (${n})`);
      if (short.length > 0) {
        throw invalid({
          field: 'file',
          message: `an import into an existing round must bring at least ${k} respondents to each team it touches; too few for: ${short.join(', ')}`,
        });
      }
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
      await tx.query(
        `insert into round_team (organisation_id, round_id, unit_id, invited)
         select $1, $2, unnest($3::uuid[]), 0 on conflict do nothing`,
        [organisationId, roundId, [...counts.keys()].map((k) => teamId.get(k))],
      );
      // Straight into sealed, shuffled responses: the whole file lands in one transaction, so
      // there is no arrival order to hide behind a pool.
      await storeSealed(
        tx,
        this.sealer,
        { organisationId, roundId, source: 'import' },
        parsed.rows.map((r, i) => ({
          unitId: teamId.get(r.teamKey)!,
          answers: Object.fromEntries(r.answers.map((a) => [a.itemKey, a.value])),
          comment: rowComments[i]?.comment ?? null,
          comments: rowComments[i]?.comments ?? [],
          conversation: rowConversations[i]
            ? this.sealer.conversationHash(rowConversations[i])
            : null,
        })),
      );
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
        { status: string; source: string; definition: InstrumentDef; instrumentId: string }[]
      >(
        `select r.status, r.source, v.definition, v.instrument_id as "instrumentId" from round r
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
      // A pulse round's teams are people who answered through their links; rows added to them
      // would be known to whoever added them, and subtracting them would reveal the real ones.
      if (round.source !== 'import')
        throw invalid({
          field: 'roundId',
          message: 'answers can only be imported into an imported round, never into a pulse round',
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

/**
 * Comments for the rows of a new round only: a closed round's comments are placed once, on
 * their first read, and rows added later would change pools already read.
 */
function readRowComments(
  comments: readonly unknown[] | undefined,
  rows: number,
  target: { roundId?: string; definition: InstrumentDef },
): RowComments[] {
  if (comments === undefined || comments.length === 0) return [];
  if (target.roundId)
    throw invalid({
      field: 'comments',
      message: 'can only come with a new round, not into an existing one',
    });
  if (comments.length > rows)
    throw invalid({
      field: 'comments',
      message: `has ${comments.length} entries for ${rows} rows`,
    });
  const dimensions = target.definition.dimensions.map((d) => d.key);
  const problems: { field: string; message: string }[] = [];
  const read = comments.map((entry, i): RowComments => {
    if (entry === null || entry === undefined) return null;
    const checked = validateComments(entry, dimensions);
    if (checked.ok) return checked.value;
    for (const p of checked.problems)
      problems.push({
        field: p.field ? `comments.${i}.${p.field}` : `comments.${i}`,
        message: p.message,
      });
    return null;
  });
  if (problems.length > 0) throw invalid(problems);
  return read;
}

/** Conversation links for rows that carry comments; each a well-formed link, or null. */
function readRowConversations(
  conversations: readonly unknown[] | undefined,
  rowComments: readonly RowComments[],
): (string | null)[] {
  if (conversations === undefined) return [];
  const problems: { field: string; message: string }[] = [];
  const read = conversations.map((entry, i): string | null => {
    if (entry === null || entry === undefined) return null;
    if (typeof entry !== 'string' || !CONVERSATION_TOKEN_SHAPE.test(entry))
      problems.push({ field: `conversations.${i}`, message: 'must be a conversation link token' });
    else if (!rowComments[i])
      problems.push({ field: `conversations.${i}`, message: 'needs comments on the same row' });
    else return entry;
    return null;
  });
  if (problems.length > 0) throw invalid(problems);
  return read;
}
