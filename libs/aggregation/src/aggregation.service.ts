import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { organisationAnonymity } from '@trellis/anonymity';
import {
  cronbachAlpha,
  evaluateFlags,
  DEFAULT_FLAG_THRESHOLDS,
  flagThresholds,
  icc1,
  isHigherWorse,
  icc2,
  oneWayAnova,
  optionCount,
  percentileRanker,
  quadrant,
  rwg,
  rwgJ,
  share,
  summarize,
  teamIndices,
  toScore100,
  type DimensionEstimate,
  type Moments,
} from '@trellis/scoring';
import { dimensionScale, ParticipationReader } from '@trellis/surveys';
import {
  AggregationRepository,
  type RoundFacts,
  type TeamDimensionRow,
} from './aggregation.repository';
import { clearResults, insertItemResults, insertRows } from './results.writer';
import { RoundGate } from './round-gate';
import { recordShown, shownCompositions } from './shown-history';

export type AggregationOutcome =
  | { status: 'aggregated'; teams: number; flags: number }
  | { status: 'skipped'; reason: 'missing' | 'open' | 'waiting' };

const PREVIOUS_ROUNDS = 3;

/** The basis a round is aggregated on, and the earlier rounds being aggregated beside it. */
interface EarlierRounds {
  epoch: string;
  earlier: readonly string[];
}

/** An earlier round aggregated beside this one ended without becoming current. */
class EarlierRoundsNotCurrent extends Error {}

function group<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}

/**
 * Turns a closed round's answers into indicators and flags. SQL reduces the answers to moments
 * per team and dimension; the formulas run here on those few numbers. One transaction under a
 * per-round lock replaces the round's results, so retries, two workers or a killed worker all
 * end with the same rows.
 */
@Injectable()
export class AggregationService {
  private readonly logger = new Logger(AggregationService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repository: AggregationRepository,
    private readonly participationReader: ParticipationReader,
  ) {}

  /**
   * `goingAhead` runs once this round holds its lock and goes ahead (inside its transaction; a
   * failure there is logged, not fatal), told whether it goes ahead beside an earlier round: if
   * not, it is the moment the next round can start beside it.
   */
  async aggregate(
    roundId: string,
    goingAhead: (beside: boolean) => Promise<void> = async () => undefined,
  ): Promise<AggregationOutcome> {
    let outcome: AggregationOutcome;
    try {
      outcome = await this.db.transaction(async (tx) => {
        await this.repository.aggregationLock(tx, roundId);
        // Read first, and held until commit: the tree and settings read below are this basis's.
        const epoch = await this.repository.lockBasis(tx, roundId);
        const round = await this.repository.round(tx, roundId);
        if (!round || epoch === null) return { status: 'skipped', reason: 'missing' } as const;
        // Nothing from an open round: its numbers would move with every single answer.
        if (round.status !== 'closed') return { status: 'skipped', reason: 'open' } as const;
        // Flags compare with earlier rounds, which must be current first (they hand on to this
        // one). Only the flags read them, so this round may go ahead beside the one round before
        // it while that one is being aggregated, and wait for it just before its flags: an
        // organisation's rounds re-derive two at a time, not one after another.
        let earlier = await this.repository.earlierStale(tx, round, epoch);
        if (earlier.length && !(await this.goesAheadBeside(tx, round, earlier))) {
          // The earlier round may have ended since it was read (then its hand-on found this
          // round's job still running, and left it): read again before giving up.
          earlier = await this.repository.earlierStale(tx, round, epoch);
          if (earlier.length) return { status: 'skipped', reason: 'waiting' } as const;
        }
        await goingAhead(earlier.length > 0).catch((error: unknown) =>
          this.logger.warn(
            { err: error, roundId },
            'could not queue the next round beside this one',
          ),
        );
        await clearResults(tx, roundId);
        const result = await this.compute(tx, round, { epoch, earlier });
        await tx.query(`update round set aggregated_at = now(), results_epoch = $2 where id = $1`, [
          roundId,
          epoch,
        ]);
        return result;
      });
    } catch (error) {
      // An earlier round this one went ahead beside did not end current (it failed): nothing of
      // this one was kept, and that round hands on to it again once it is done.
      if (!(error instanceof EarlierRoundsNotCurrent)) throw error;
      outcome = { status: 'skipped', reason: 'waiting' };
    }
    this.logger.log({ roundId, ...outcome }, 'round aggregated');
    return outcome;
  }

  /**
   * Whether this round may go ahead while `earlier` (its stale earlier rounds) are not current
   * yet: only one of them, being aggregated right now, and nobody waiting to change the basis.
   */
  private async goesAheadBeside(
    tx: EntityManager,
    round: RoundFacts,
    earlier: readonly string[],
  ): Promise<boolean> {
    if (earlier.length !== 1) return false;
    if (!(await this.repository.allBeingAggregated(tx, earlier))) return false;
    return !(await this.repository.basisChangeWaiting(tx, round.organisationId));
  }

  /**
   * Gate at write: the anonymity decision for the round is made first, on the tree as it is
   * now, and only figures it lets through are stored — a unit's dimension only when the unit
   * and the people behind that dimension may be shown, an item only with k answers of its own,
   * indices, quadrant, percentiles and flags only from shown figures. The decision is stored
   * with them. What is not stored cannot leak through a reader, nor through a later round that
   * compares itself with this one.
   */
  private async compute(
    tx: EntityManager,
    round: RoundFacts,
    basis: EarlierRounds,
  ): Promise<AggregationOutcome> {
    const queue = new StatementQueue();
    try {
      const outcome = await this.derive(tx, round, basis, queue);
      await queue.drain();
      return outcome;
    } catch (error) {
      // Nothing may still be running when the transaction ends; a queued statement that failed
      // is the error to report (it aborted the transaction, so it came first).
      await queue.drain();
      throw error;
    }
  }

  private async derive(
    tx: EntityManager,
    round: RoundFacts,
    basis: EarlierRounds,
    queue: StatementQueue,
  ): Promise<AggregationOutcome> {
    // Each dimension on its own scale (the instrument's unless it has one): the answer options
    // behind rwg's null variance, the 0–100 score and the five-point indices all follow it.
    const scale = (dimension: string) => dimensionScale(round.definition, dimension);
    const options = (dimension: string) => optionCount(scale(dimension));
    // A transaction has one connection, so its statements run one after another. The few the
    // anonymity decision needs are awaited first; from then on the heavy statistics and the
    // writes go through a queue, in order, so PostgreSQL works through them while the decision
    // and the next rows are worked out here. Nothing queued reads what another one writes.
    const loaded = await this.repository.load(tx, round);
    const teamRows = await this.repository.teamDimensions(tx, round, loaded, 'member');
    const participation = await this.repository.participation(tx, round.id);
    const units = await this.repository.units(tx, round.id);
    const selfRows = await this.repository.teamDimensions(tx, round, loaded, 'leader_self');
    const answered = await this.participationReader.answeredMembers(tx, round.id);
    // Held to what earlier derivations of this round showed: a reorganisation in between must
    // not make two shown aggregates differ by a group below k.
    const earlier = await shownCompositions(tx, round.id);
    const itemsQuery = queue.read(() => this.repository.items(tx, round, loaded));
    const partialQuery = queue.read(() => this.repository.partialAnswerers(tx, loaded));
    // Lets the first of them reach the server before the decision keeps this thread busy.
    await new Promise((resolve) => setImmediate(resolve));

    const settings = organisationAnonymity(round.settings);
    const k = settings.minGroupSize;
    const participationByUnit = new Map(participation.map((p) => [p.unitId, p]));
    // Every answer a rollup adds must be known to the decision: a unit answering without a
    // round_team row (not made by today's code) counts at least its largest figure's people.
    const respondents = new Map(participation.map((p) => [p.unitId, p.respondents]));
    for (const r of teamRows)
      respondents.set(r.unitId, Math.max(respondents.get(r.unitId) ?? 0, r.n));
    const gate = new RoundGate(round.id, units, respondents, teamRows, answered, settings, earlier);
    const teamIds = [
      ...new Set([...participation.map((p) => p.unitId), ...teamRows.map((r) => r.unitId)]),
    ];
    // Flags only for teams whose own respondents may be shown.
    const shown = teamIds.filter((id) => gate.ownShown(id));
    const decisions = gate.decisions();
    queue.write(() => insertRows(tx, 'round_unit_visibility', decisions));
    const compositions = gate.shownCompositions();
    queue.write(() => recordShown(tx, round.id, compositions));
    const items = await itemsQuery;
    const alphasQuery = queue.read(() => this.repository.alphaInputs(tx, loaded, items));
    const partial = await partialQuery;

    // Items, with single-item agreement: a distribution reads the unit's own respondents, and
    // needs k answers to the item itself. A dimension's items are kept back altogether while
    // 1..k−1 members answered only part of it: item sums and the dimension's mean differ by
    // exactly those people (no subtraction, domain.md §4).
    const itemVariances = group(items, (i) => `${i.unitId}|${i.dimension}`);
    const partialBy = new Map(partial.map((p) => [`${p.unitId}|${p.dimension}`, p.partial]));
    const partialSafe = (unitId: string, dimension: string) => {
      const n = partialBy.get(`${unitId}|${dimension}`) ?? 0;
      return n === 0 || n >= k;
    };
    const itemResults = items
      .filter((i) => gate.ownShown(i.unitId) && i.n >= k && partialSafe(i.unitId, i.dimension))
      .map((i) => ({ ...i, rwg: rwg(i.variance, options(i.dimension)) }));
    queue.write(() => insertItemResults(tx, round.id, itemResults));

    // Teams: only the figures that may be shown, ranked only among each other.
    const shownRows = teamRows.filter((r) => gate.ownFigureShown(r.unitId, r.dimension));
    const byDimension = group(teamRows, (r) => r.dimension);
    const estimates = new Map<
      string,
      Record<string, DimensionEstimate & { rwgJ: number | null }>
    >();
    // Each dimension's shown team means sorted once, not scanned once per team.
    const peerRanks = new Map(
      [...group(shownRows, (r) => r.dimension)].map(([dimension, rows]) => [
        dimension,
        percentileRanker(rows.map((p) => p.sum / p.n)),
      ]),
    );
    const teamResults = shownRows.map((r) => {
      const s = summarize(r);
      const agreement = rwgJ(
        (itemVariances.get(`${r.unitId}|${r.dimension}`) ?? []).map((i) => i.variance),
        options(r.dimension),
      );
      const rank = peerRanks.get(r.dimension);
      const record = estimates.get(r.unitId) ?? {};
      record[r.dimension] = {
        n: s.n,
        mean: s.mean,
        se: s.se,
        ciLow: s.ciLow,
        ciHigh: s.ciHigh,
        rwgJ: agreement,
      };
      estimates.set(r.unitId, record);
      return this.resultRow(round, r, false, {
        rwgJ: agreement,
        percentile: s.mean === null || !rank ? null : rank(s.mean),
      });
    });
    const rollups = this.rollups(round, teamRows, units).filter((row) =>
      gate.aggregateShown(String(row.unit_id), String(row.dimension)),
    );
    queue.write(() => insertRows(tx, 'unit_result', [...teamResults, ...rollups]));

    // The organisation: how much is team climate, how reliable team means are, whether items
    // hang together. One number each over everyone, kept where the organisation's own figure
    // of that dimension may be shown.
    const roots = units.filter((u) => u.parentId === null).map((u) => u.id);
    const alphaByDimension = new Map((await alphasQuery).map((a) => [a.dimension, a]));
    const organisationResults = [...byDimension.entries()]
      .filter(([dimension]) => roots.some((id) => gate.aggregateShown(id, dimension)))
      .map(([dimension, rows]) => {
        const anova = oneWayAnova(rows);
        const a = alphaByDimension.get(dimension);
        return {
          round_id: round.id,
          dimension,
          respondents: rows.reduce((sum, r) => sum + r.n, 0),
          teams: rows.length,
          icc1: icc1(anova),
          icc2: icc2(anova),
          alpha: a
            ? cronbachAlpha({
                k: a.items,
                itemVarianceSum: a.itemVarianceSum,
                totalVariance: a.totalVariance,
              })
            : null,
        };
      });
    queue.write(() => insertRows(tx, 'organisation_result', organisationResults));

    // Leaders' self-views, kept apart from their teams' scores.
    const selfMeans = new Map<string, Record<string, number>>();
    for (const r of selfRows) {
      const record = selfMeans.get(r.unitId) ?? {};
      record[r.dimension] = r.sum / r.n;
      selfMeans.set(r.unitId, record);
    }
    const selfResults = selfRows.map((r) => ({
      round_id: round.id,
      unit_id: r.unitId,
      dimension: r.dimension,
      mean: r.sum / r.n,
    }));
    queue.write(() => insertRows(tx, 'leader_self_result', selfResults));

    // Participation for every team (counts may always be shown); indices and quadrant only
    // from the shown figures of a team whose own respondents may be shown.
    const reading = flagThresholds(round.settings.flags);
    // Settings are validated when saved; a stored value that no longer reads falls back to the model's defaults.
    const thresholds = reading.ok ? reading.value : DEFAULT_FLAG_THRESHOLDS;
    const shownEstimates = (unitId: string) =>
      gate.ownShown(unitId) ? (estimates.get(unitId) ?? {}) : {};
    const teamRounds = teamIds.map((unitId) => {
      const p = participationByUnit.get(unitId);
      const respondents = p?.respondents ?? 0;
      const invited = p?.invited ? p.invited : null;
      const indices = teamIndices(shownEstimates(unitId), scale);
      return {
        organisation_id: round.organisationId,
        round_id: round.id,
        unit_id: unitId,
        respondents,
        invited,
        response_rate: invited ? Math.min(1, respondents / invited) : null,
        comments: p?.comments ?? 0,
        autonomy: indices.autonomy?.value ?? null,
        alignment: indices.alignment?.value ?? null,
        support: indices.support?.value ?? null,
        control: indices.control?.value ?? null,
        safety: indices.safety?.value ?? null,
        quadrant: quadrant(
          indices.autonomy?.value ?? null,
          indices.alignment?.value ?? null,
          thresholds.quadrant.midpoint,
        ),
      };
    });
    queue.write(() => insertRows(tx, 'team_round', teamRounds));

    // Flags, only for teams whose own respondents may be shown, from their shown figures and
    // the stored (so shown) figures of their earlier rounds.
    // Flags name dimensions as the instrument does and read its directions.
    const dimensionDefs = round.definition.dimensions;
    const names = Object.fromEntries(dimensionDefs.map((d) => [d.key, d.name]));
    const higherIsWorse = new Set(dimensionDefs.filter(isHigherWorse).map((d) => d.key));
    // Their earlier rounds' results, read after this round's writes are queued (so those go
    // ahead while the earlier rounds aggregated beside this one finish).
    const previousQuery = queue.read(async () => {
      if (basis.earlier.length) {
        // Those rounds' results once they have ended, and only if they all ended current (seen
        // in a new snapshot: this is a new statement).
        await this.repository.awaitAggregations(tx, basis.earlier);
        const stale = await this.repository.earlierStale(tx, round, basis.epoch);
        if (stale.length) throw new EarlierRoundsNotCurrent();
      }
      return this.repository.previous(tx, round, shown, PREVIOUS_ROUNDS);
    });
    const previous = group(await previousQuery, (r) => r.unitId);
    const flags = shown.flatMap((unitId) => {
      // Only rounds shown for the team have stored results, so these are the shown rounds.
      const earlier = group(previous.get(unitId) ?? [], (r) => r.roundId);
      const team = teamRounds.find((t) => t.unit_id === unitId);
      return evaluateFlags(
        {
          scale: round.definition.scale,
          dimensionScales: scale,
          dimensions: shownEstimates(unitId),
          previous: [...earlier.values()].map((rows) =>
            Object.fromEntries(
              rows.map((r) => [
                r.dimension,
                { n: r.n, mean: r.mean, se: r.se, ciLow: r.ciLow, ciHigh: r.ciHigh, rwgJ: null },
              ]),
            ),
          ),
          previousPeriodStarts: [...earlier.values()].map((rows) => rows[0].periodStart),
          leaderSelf: selfMeans.get(unitId) ?? null,
          responseRate: team?.response_rate ?? null,
          names,
          higherIsWorse,
        },
        thresholds,
      ).map((f) => ({
        organisation_id: round.organisationId,
        round_id: round.id,
        unit_id: unitId,
        code: f.code,
        level: f.level,
        evidence: f.evidence,
        explanation: f.explanation,
        actions: f.actions,
      }));
    });
    queue.write(() => insertRows(tx, 'flag', flags));
    return { status: 'aggregated', teams: teamIds.length, flags: flags.length };
  }

  /** Every unit above a team gets its subtree's aggregate: the moments simply add up. */
  private rollups(
    round: RoundFacts,
    teamRows: TeamDimensionRow[],
    units: { id: string; parentId: string | null }[],
  ) {
    const parent = new Map(units.map((u) => [u.id, u.parentId]));
    const totals = new Map<string, TeamDimensionRow>();
    for (const row of teamRows) {
      // Every ancestor, and the team itself when sub-teams add to it below.
      for (let id: string | null = row.unitId; id; id = parent.get(id) ?? null) {
        const key = `${id}|${row.dimension}`;
        const t = totals.get(key) ?? {
          unitId: id,
          dimension: row.dimension,
          n: 0,
          sum: 0,
          sumSquares: 0,
          favourable: 0,
          unfavourable: 0,
        };
        t.n += row.n;
        t.sum += row.sum;
        t.sumSquares += row.sumSquares;
        t.favourable += row.favourable;
        t.unfavourable += row.unfavourable;
        totals.set(key, t);
      }
    }
    const own = new Set(teamRows.map((r) => `${r.unitId}|${r.dimension}`));
    const contributors = new Map<string, number>();
    for (const row of teamRows) {
      for (let id: string | null = row.unitId; id; id = parent.get(id) ?? null) {
        const key = `${id}|${row.dimension}`;
        contributors.set(key, (contributors.get(key) ?? 0) + 1);
      }
    }
    return (
      [...totals.entries()]
        // A team's rollup is worth storing only when units below it contributed too.
        .filter(([key]) => !own.has(key) || (contributors.get(key) ?? 0) > 1)
        .map(([, t]) => this.resultRow(round, t, true, { rwgJ: null, percentile: null }))
    );
  }

  private resultRow(
    round: RoundFacts,
    r: TeamDimensionRow,
    rollup: boolean,
    extra: { rwgJ: number | null; percentile: number | null },
  ): Record<string, unknown> {
    const s = summarize(r satisfies Moments);
    return {
      organisation_id: round.organisationId,
      round_id: round.id,
      unit_id: r.unitId,
      dimension: r.dimension,
      rollup,
      n: s.n,
      mean: s.mean,
      sd: s.sd,
      se: s.se,
      ci_low: s.ciLow,
      ci_high: s.ciHigh,
      score: toScore100(
        s.mean,
        dimensionScale(round.definition, r.dimension).min,
        dimensionScale(round.definition, r.dimension).max,
      ),
      favourable: share(r.favourable, r.n),
      unfavourable: share(r.unfavourable, r.n),
      rwg_j: extra.rwgJ,
      percentile: extra.percentile,
    };
  }
}

/**
 * Statements on a transaction's connection, each sent when the one before it has finished (the
 * driver takes one query at a time), while the caller goes on working out the next rows. After
 * a failure the rest are not sent (the transaction is aborted): each of them, and `drain`,
 * rejects with that first failure.
 */
class StatementQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private running = 0;
  private failed = false;

  /** A statement whose result is awaited later; sent at once when nothing else is running. */
  read<T>(statement: () => Promise<T>): Promise<T> {
    const sent = this.running === 0 && !this.failed ? statement() : this.tail.then(statement);
    this.running++;
    const result = sent.then(
      (value) => {
        this.running--;
        return value;
      },
      (error: unknown) => {
        this.running--;
        this.failed = true;
        throw error;
      },
    );
    // Seen as handled at once: a failure is reported by `drain`, or by whoever awaits the result.
    result.catch(() => undefined);
    this.tail = result;
    return result;
  }

  /** A statement whose only result is success, which `drain` reports. */
  write(statement: () => Promise<unknown>): void {
    void this.read(statement);
  }

  /** Waits for every statement sent; throws the first failure. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
