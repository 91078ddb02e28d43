import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { orderComments } from '@trellis/anonymity';
import type { Sql } from '@trellis/database';
import { DomainError, InvalidInput } from '@trellis/errors';
import { anonymityOf } from '@trellis/organisation';
import { AnswerSealer, ParticipationReader, type InstrumentDef } from '@trellis/surveys';
import { hiddenOf, repliesOf, type ReplyBy } from './comment-conversation.store';
import { roundPlacement, type PlacementRow } from './comment-placement.store';

/** What readers see in place of a comment HR withheld. */
export const HIDDEN_TEXT = '(hidden by HR)';

export const COMMENT_MARKS = ['acknowledged', 'acted_on'] as const;
export type CommentMarkStatus = (typeof COMMENT_MARKS)[number];
/** The theme filter's value for comments on no dimension. */
export const GENERAL_THEME = 'general';
export const COMMENT_QUERY_MAX = 200;

export interface CommentRound {
  id: string;
  /** The round's period, in days: nothing finer is ever shown beside a comment. */
  label: string;
  closed: boolean;
}

export interface ShownComment {
  /** Keyed id: unrelated to the stored row and to the author's other comments. */
  id: string;
  /** Dimension key, or null for a general comment. */
  dimension: string | null;
  theme: string;
  text: string;
  mark: { status: CommentMarkStatus; commitmentId: string | null } | null;
  /**
   * Withheld by HR: the text is empty and the reason is shown instead. The comment still counts
   * (the pool and its author count are unchanged); it is listed after the others.
   */
  hidden: { reason: string } | null;
  /** The conversation with its author, by role, oldest first. */
  replies: { by: ReplyBy; label: string; text: string; day: string }[];
}

export interface CommentTheme {
  /** Dimension key, or `general`. */
  key: string;
  name: string;
  count: number;
}

export interface UnitCommentsView {
  unit: { id: string; name: string; organisationId: string };
  rounds: CommentRound[];
  round: CommentRound | null;
  /**
   * shown: this unit has a comment pool; none: nothing is read here in this round (too few
   * commented, or the comments rose above); open: the round is still open, nothing is read.
   */
  status: 'shown' | 'none' | 'open' | 'no_round';
  minCommentGroup: number;
  /** People whose comments are in this unit's pool. */
  authors: number;
  /** Comments in the pool, before filters. */
  total: number;
  /** Per theme, over the whole pool. */
  themes: CommentTheme[];
  filter: { dimension: string | null; q: string | null };
  /** The pool after filters, ordered by text alone. */
  comments: ShownComment[];
  /** Units beneath with a pool of their own in this round. */
  below: { unitId: string; name: string; authors: number }[];
  /** This unit's commitments, to link a mark to. */
  commitments: { id: string; action: string }[];
}

export interface OrganisationCommentsView {
  organisationId: string;
  rounds: CommentRound[];
  round: CommentRound | null;
  status: 'shown' | 'none' | 'open' | 'no_round';
  minCommentGroup: number;
  pools: { unitId: string; name: string; authors: number; comments: number }[];
}

export interface CommentQuery {
  round?: string;
  dimension?: string;
  q?: string;
}

interface RoundRow {
  id: string;
  status: string;
  periodStart: string;
  periodEnd: string;
  campaign: string | null;
  definition: InstrumentDef;
}

const ROUNDS = `select r.id, r.status, r.period_start::text as "periodStart", r.period_end::text as "periodEnd",
       c.name as campaign, v.definition
  from round r join instrument_version v on v.id = r.instrument_version_id
  left join campaign c on c.id = r.campaign_id`;

/**
 * Reading comments: one use case for the JSON API, the pages and the export. Which comments a
 * unit's readers get is the round's placement (comment-placement.store.ts, deciding through
 * `placeComments` once per round); this opens the placed rows, splits each person's row into
 * comments with keyed ids, orders them by text alone and never says which came from one row.
 * Nothing here logs a comment.
 */
@Injectable()
export class CommentsService {
  /** Who answered where: a person in two teams counts once in a shared parent's pool. */
  private readonly participation: ParticipationReader;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: AnswerSealer,
  ) {
    this.participation = new ParticipationReader(sealer);
  }

  async unitComments(unitId: string, query: CommentQuery = {}): Promise<UnitCommentsView> {
    const filter = readFilter(query);
    return this.db.transaction(async (tx) => {
      const [unit] = await tx.query<{ id: string; name: string; organisationId: string }[]>(
        `select id, name, organisation_id as "organisationId" from unit where id = $1`,
        [unitId],
      );
      if (!unit) throw new DomainError('not_found', 'unitId: no such unit');
      const rounds = await this.roundsOf(tx, unit.organisationId, unitId);
      const round = pickRound(rounds, query.round);
      const { minCommentGroup } = await anonymityOf(tx, unit.organisationId);
      const commitments = await tx.query<{ id: string; action: string }[]>(
        `select id, action from commitment where unit_id = $1 order by created_at desc`,
        [unitId],
      );
      const empty: UnitCommentsView = {
        unit,
        rounds: rounds.map(roundView),
        round: round ? roundView(round) : null,
        status: round ? (round.status === 'closed' ? 'none' : 'open') : 'no_round',
        minCommentGroup,
        authors: 0,
        total: 0,
        themes: [],
        filter,
        comments: [],
        below: [],
        commitments,
      };
      if (!round) return empty;
      const placement = await roundPlacement(tx, round.id, this.participation);
      if (!placement) return empty;
      const below = await this.poolsBelow(tx, unitId, placement);
      const origins = placement.filter((p) => p.shownAt === unitId);
      if (origins.length === 0) return { ...empty, below };
      const all = await this.openPool(tx, round, origins);
      const filtered = all.filter(
        (c) =>
          (filter.dimension === null || (c.dimension ?? GENERAL_THEME) === filter.dimension) &&
          (filter.q === null ||
            (c.hidden === null && c.text.toLowerCase().includes(filter.q.toLowerCase()))),
      );
      return {
        ...empty,
        status: 'shown',
        authors: origins.reduce((s, o) => s + o.authors, 0),
        total: all.length,
        themes: themesOf(round.definition, all),
        comments: filtered,
        below,
      };
    });
  }

  /** HR's list: every unit with a comment pool in the round, with its size. */
  async organisationComments(
    organisationId: string,
    query: CommentQuery = {},
  ): Promise<OrganisationCommentsView> {
    return this.db.transaction(async (tx) => {
      const rounds = await this.roundsOf(tx, organisationId, null);
      const round = pickRound(rounds, query.round);
      const { minCommentGroup } = await anonymityOf(tx, organisationId);
      const view: OrganisationCommentsView = {
        organisationId,
        rounds: rounds.map(roundView),
        round: round ? roundView(round) : null,
        status: round ? (round.status === 'closed' ? 'none' : 'open') : 'no_round',
        minCommentGroup,
        pools: [],
      };
      if (!round) return view;
      const placement = await roundPlacement(tx, round.id, this.participation);
      if (!placement) return view;
      const pools = await this.pools(tx, round, placement);
      return { ...view, status: pools.length ? 'shown' : 'none', pools };
    });
  }

  /**
   * The export: round, the unit a comment is shown at, its theme and text. No ids, no dates
   * finer than the round's period, units by name, comments by text within a unit.
   */
  async exportCsv(organisationId: string, query: CommentQuery = {}): Promise<string> {
    return this.db.transaction(async (tx) => {
      const rounds = await this.roundsOf(tx, organisationId, null);
      const round = pickRound(rounds, query.round);
      const lines = [['round', 'unit', 'theme', 'comment']];
      const placement = round ? await roundPlacement(tx, round.id, this.participation) : null;
      if (round && placement) {
        const names = await this.unitNames(tx, organisationId);
        const shownAt = [...new Set(placement.flatMap((p) => (p.shownAt ? [p.shownAt] : [])))];
        const label = roundView(round).label;
        // One after another: a transaction has one connection, and queries on it cannot overlap.
        const byUnit: { name: string; comments: ShownComment[] }[] = [];
        for (const unitId of shownAt) {
          byUnit.push({
            name: names.get(unitId) ?? unitId,
            comments: await this.openPool(
              tx,
              round,
              placement.filter((p) => p.shownAt === unitId),
            ),
          });
        }
        byUnit.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const { name, comments } of byUnit) {
          for (const c of comments) {
            lines.push([label, name, c.theme, c.hidden ? HIDDEN_TEXT : c.text]);
          }
        }
      }
      return lines.map((line) => line.map(csvField).join(',')).join('\r\n') + '\r\n';
    });
  }

  /**
   * A leader's (or HR's) mark on a comment shown at this unit: acknowledged or acted on,
   * optionally with one of the unit's commitments; `none` removes it. Keyed by the comment's
   * shown id, so the mark says nothing the page did not.
   */
  async mark(
    unitId: string,
    commentId: string,
    input: { round?: unknown; status?: unknown; commitmentId?: unknown },
  ): Promise<ShownComment> {
    const problems = [];
    const status = input.status;
    if (status !== 'none' && !COMMENT_MARKS.includes(status as CommentMarkStatus)) {
      problems.push({ field: 'status', message: 'must be acknowledged, acted_on or none' });
    }
    if (typeof input.round !== 'string' || !UUID.test(input.round)) {
      problems.push({ field: 'round', message: 'must be the id of the round the comment is in' });
    }
    const commitmentId =
      input.commitmentId === undefined || input.commitmentId === null || input.commitmentId === ''
        ? null
        : input.commitmentId;
    if (commitmentId !== null && (typeof commitmentId !== 'string' || !UUID.test(commitmentId))) {
      problems.push({ field: 'commitmentId', message: 'must be a commitment id' });
    }
    if (problems.length) throw new InvalidInput(problems);
    const view = await this.unitComments(unitId, { round: input.round as string });
    const comment = view.status === 'shown' ? view.comments.find((c) => c.id === commentId) : null;
    if (!comment) {
      throw new DomainError(
        'not_found',
        'commentId: no such comment shown at this unit in that round',
      );
    }
    if (commitmentId !== null && !view.commitments.some((c) => c.id === commitmentId)) {
      throw new InvalidInput([
        { field: 'commitmentId', message: "is not one of this unit's commitments" },
      ]);
    }
    if (status === 'none') {
      await this.db.query(`delete from comment_mark where round_id = $1 and comment_key = $2`, [
        view.round!.id,
        commentId,
      ]);
      return { ...comment, mark: null };
    }
    await this.db.query(
      `insert into comment_mark (organisation_id, round_id, shown_at, comment_key, status, commitment_id, marked_on)
       values ($1, $2, $3, $4, $5, $6, current_date)
       on conflict (round_id, comment_key) do update
         set status = excluded.status, commitment_id = excluded.commitment_id, marked_on = excluded.marked_on`,
      [view.unit.organisationId, view.round!.id, unitId, commentId, status, commitmentId],
    );
    return {
      ...comment,
      mark: { status: status as CommentMarkStatus, commitmentId: commitmentId as string | null },
    };
  }

  private async roundsOf(
    tx: Sql,
    organisationId: string,
    unitId: string | null,
  ): Promise<RoundRow[]> {
    // A unit's rounds: those that asked a team at or beneath it (its comments can only be there).
    // Pulse rounds and imported ones alike: a history import may bring comments too.
    const rows = await tx.query<RoundRow[]>(
      `${ROUNDS}
        where r.organisation_id = $1
          and ($2::uuid is null or exists (
            with recursive sub as (select id from unit where id = $2 union
                                   select u.id from unit u join sub on u.parent_id = sub.id)
            select 1 from round_team t join sub on sub.id = t.unit_id where t.round_id = r.id))
        order by r.closes_at desc, r.id limit 50`,
      [organisationId, unitId],
    );
    return rows;
  }

  private async poolsBelow(
    tx: Sql,
    unitId: string,
    placement: PlacementRow[],
  ): Promise<UnitCommentsView['below']> {
    const shownAt = [
      ...new Set(placement.flatMap((p) => (p.shownAt && p.shownAt !== unitId ? [p.shownAt] : []))),
    ];
    if (shownAt.length === 0) return [];
    const beneath = await tx.query<{ id: string; name: string }[]>(
      `with recursive sub as (select id from unit where parent_id = $1 union
                              select u.id from unit u join sub on u.parent_id = sub.id)
       select u.id, u.name from unit u join sub on sub.id = u.id where u.id = any($2::uuid[]) order by u.name, u.id`,
      [unitId, shownAt],
    );
    return beneath.map((u) => ({
      unitId: u.id,
      name: u.name,
      authors: placement.filter((p) => p.shownAt === u.id).reduce((s, p) => s + p.authors, 0),
    }));
  }

  private async pools(
    tx: Sql,
    round: RoundRow,
    placement: PlacementRow[],
  ): Promise<OrganisationCommentsView['pools']> {
    const [org] = await tx.query<{ organisationId: string }[]>(
      `select organisation_id as "organisationId" from round where id = $1`,
      [round.id],
    );
    const names = await this.unitNames(tx, org.organisationId);
    const shownAt = [...new Set(placement.flatMap((p) => (p.shownAt ? [p.shownAt] : [])))];
    // One after another: a transaction has one connection, and queries on it cannot overlap.
    const pools: OrganisationCommentsView['pools'] = [];
    for (const unitId of shownAt) {
      const origins = placement.filter((p) => p.shownAt === unitId);
      pools.push({
        unitId,
        name: names.get(unitId) ?? unitId,
        authors: origins.reduce((s, p) => s + p.authors, 0),
        comments: (await this.openPool(tx, round, origins)).length,
      });
    }
    return pools.sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.unitId < b.unitId ? -1 : 1,
    );
  }

  private async unitNames(tx: Sql, organisationId: string): Promise<Map<string, string>> {
    const rows = await tx.query<{ id: string; name: string }[]>(
      `select id, name from unit where organisation_id = $1`,
      [organisationId],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The comments of the given origin units, each person's row split, ordered by text alone. */
  private async openPool(
    tx: Sql,
    round: RoundRow,
    origins: PlacementRow[],
  ): Promise<ShownComment[]> {
    const rows = await tx.query<{ id: string; unitId: string; sealed: Buffer }[]>(
      `select id, unit_id as "unitId", sealed from comment where round_id = $1 and unit_id = any($2::uuid[])`,
      [round.id, origins.map((o) => o.unitId)],
    );
    const marks = await tx.query<
      { key: string; status: CommentMarkStatus; commitmentId: string | null }[]
    >(
      `select comment_key as key, status, commitment_id as "commitmentId" from comment_mark where round_id = $1`,
      [round.id],
    );
    const markOf = new Map(marks.map((m) => [m.key, m]));
    const hidden = await hiddenOf(tx, round.id);
    const names = new Map(round.definition.dimensions.map((d) => [d.key, d.name]));
    const opened = rows.flatMap((row) =>
      this.sealer.openAuthorComments(round.id, row.unitId, row.sealed).map((c, index) => {
        const id = this.sealer.commentKey(row.id, index);
        const mark = markOf.get(id);
        const withheld = hidden.get(id);
        return {
          id,
          dimension: c.dimension,
          theme: c.dimension === null ? 'General' : (names.get(c.dimension) ?? c.dimension),
          text: withheld ? '' : c.text,
          mark: mark ? { status: mark.status, commitmentId: mark.commitmentId } : null,
          hidden: withheld ? { reason: withheld.reason } : null,
        };
      }),
    );
    const replies = await repliesOf(
      tx,
      round.id,
      opened.map((c) => c.id),
    );
    const comments: ShownComment[] = opened.map((c) => ({
      ...c,
      replies: (replies.get(c.id) ?? []).map((r) => ({
        by: r.by,
        label:
          r.by === 'author'
            ? 'The author'
            : r.by === 'hr'
              ? 'HR'
              : `A leader of ${r.signedAsName ?? r.shownAtName}`,
        text: r.body,
        day: r.writtenOn,
      })),
    }));
    // Ordered by text alone (orderComments), ties by id: nothing about rows or arrival shows.
    // Withheld comments come last, by id: their place among the others would hint at their text.
    const rank = new Map(orderComments(comments.map((c) => c.text)).map((t, i) => [t, i]));
    return comments.sort(
      (a, b) =>
        Number(a.hidden !== null) - Number(b.hidden !== null) ||
        rank.get(a.text)! - rank.get(b.text)! ||
        (a.id < b.id ? -1 : 1),
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A query value as it may arrive (a repeated parameter is an array): text, or a problem. */
const isText = (value: unknown): value is string | undefined =>
  value === undefined || typeof value === 'string';

function readFilter(query: CommentQuery): UnitCommentsView['filter'] {
  const problems = [];
  if (query.round !== undefined && (!isText(query.round) || !UUID.test(query.round))) {
    problems.push({ field: 'round', message: 'must be a round id' });
  }
  const dimension = !isText(query.dimension)
    ? 'not text'
    : query.dimension === undefined || query.dimension === ''
      ? null
      : query.dimension;
  if (dimension !== null && !/^[a-z][a-z0-9_]{0,39}$/.test(dimension)) {
    problems.push({ field: 'dimension', message: `must be a dimension key or ${GENERAL_THEME}` });
  }
  if (!isText(query.q)) {
    problems.push({ field: 'q', message: 'must be one piece of text' });
    throw new InvalidInput(problems);
  }
  const q = query.q === undefined ? null : query.q.trim() || null;
  if (q !== null && (q.length > COMMENT_QUERY_MAX || q.includes('\u0000'))) {
    problems.push({
      field: 'q',
      message: `must be text of at most ${COMMENT_QUERY_MAX} characters`,
    });
  }
  if (problems.length) throw new InvalidInput(problems);
  return { dimension, q };
}

function pickRound(rounds: RoundRow[], wanted: string | undefined): RoundRow | null {
  if (wanted !== undefined && (!isText(wanted) || !UUID.test(wanted))) {
    throw new InvalidInput([{ field: 'round', message: 'must be a round id' }]);
  }
  if (wanted !== undefined) {
    const found = rounds.find((r) => r.id === wanted);
    if (!found) throw new DomainError('not_found', 'round: no such round for this unit');
    return found;
  }
  return rounds.find((r) => r.status === 'closed') ?? rounds[0] ?? null;
}

function roundView(round: RoundRow): CommentRound {
  const period =
    round.periodStart === round.periodEnd
      ? round.periodStart
      : `${round.periodStart} – ${round.periodEnd}`;
  return {
    id: round.id,
    label: round.campaign ? `${round.campaign}, ${period}` : period,
    closed: round.status === 'closed',
  };
}

/** Counts per theme over the whole pool, in the instrument's order, general last. */
function themesOf(def: InstrumentDef, comments: ShownComment[]): CommentTheme[] {
  const count = (key: string | null) => comments.filter((c) => c.dimension === key).length;
  const themes = def.dimensions
    .map((d) => ({ key: d.key, name: d.name, count: count(d.key) }))
    .filter((t) => t.count > 0);
  const general = count(null);
  return general ? [...themes, { key: GENERAL_THEME, name: 'General', count: general }] : themes;
}

/** RFC 4180, and a leading =, +, - or @ quoted away so a spreadsheet does not run it. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
