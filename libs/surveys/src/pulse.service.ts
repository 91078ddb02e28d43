import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { organisationAnonymity } from '@trellis/anonymity';
import { DomainError, InvalidInput } from '@trellis/errors';
import {
  dimensionScale,
  formItems,
  validateSubmission,
  type InstrumentDef,
  type ItemDef,
  type Scale,
} from './instrument';
import { hashPulseToken, PULSE_TOKEN_PREFIX } from './invitations.service';
import { AnswerSealer, canonicalSubmission } from './sealing';

export interface PulseForm {
  audience: 'member' | 'leader_self';
  teamName: string;
  organisationName: string;
  instrumentName: string;
  closesAt: Date;
  /** The campaign's IANA time zone, in which the page says when the round closes (UTC without one). */
  timeZone: string;
  scale: Scale;
  /** Each item with the scale it is answered on: its dimension's, else the instrument's. */
  items: { key: string; text: string; dimension: string; scale: Scale }[];
  /** The themes of the asked items, in the instrument's order: a comment may be on each. */
  dimensions: { key: string; name: string }[];
  /** Comments are for team members; a leader's self-view has none. */
  allowsComment: boolean;
  /** The organisation's promises, shown on the page: results need k people, comments this many. */
  minGroupSize: number;
  minCommentGroup: number;
}

/** The organisation's anonymity minimums, which the answering page promises. */
export type PulsePromises = Pick<PulseForm, 'minGroupSize' | 'minCommentGroup'>;

/** What a stored submission answers with: enough to thank the person and repeat the promises. */
export interface PulseReceipt {
  teamName: string;
  organisationName: string;
  audience: PulseForm['audience'];
  promises: PulsePromises;
  /**
   * The author's conversation link token, made for this submission when it holds a comment:
   * shown once, here, and stored only as a keyed hash inside the sealed pool. Null without a
   * comment, and on a repeat of an already stored submission (its link was the first one's).
   */
  conversation: string | null;
  /** For the thank-you page's form that mails the link (AnswerSealer.linkMailProof). */
  conversationProof: string | null;
  /** A repeat of a stored submission with comments: its link cannot be shown again. */
  repeated: boolean;
}

interface InvitationRow {
  invitationId: string;
  roundId: string;
  organisationId: string;
  unitId: string;
  kind: 'member' | 'leader_self';
  status: 'open' | 'closed';
  closesAt: Date;
  timeZone: string;
  itemKeys: string[];
  selfItemKeys: string[];
  definition: InstrumentDef;
  teamName: string;
  organisationName: string;
  settings: unknown;
}

type LinkRow = Omit<InvitationRow, 'definition'> & { versionId: string };

const TOKEN_SHAPE = /^p_[A-Za-z0-9_-]{43}$/;

/** A conversation link: a prefix the logs redact anywhere, and 256 random bits. */
export const CONVERSATION_TOKEN_PREFIX = 'trl_c_';
export const CONVERSATION_TOKEN_SHAPE = /^trl_c_[A-Za-z0-9_-]{43}$/;

/**
 * The link's invitation, round, team and organisation. The instrument's definition (some 9 kB of
 * JSON) is not read here: a version used by a round cannot change (a trigger refuses it), so the
 * service keeps used versions' definitions in memory and reads one only the first time.
 */
const BY_TOKEN = {
  name: 'pulse-by-token',
  text: `select i.id as "invitationId", i.round_id as "roundId", i.organisation_id as "organisationId",
  i.unit_id as "unitId", i.kind, r.status, r.closes_at as "closesAt", coalesce(c.timezone, 'UTC') as "timeZone", r.item_keys as "itemKeys",
  r.self_item_keys as "selfItemKeys", r.instrument_version_id as "versionId", u.name as "teamName",
  o.name as "organisationName", o.settings
  from invitation_token t join invitation i on i.id = t.invitation_id join round r on r.id = i.round_id
  join unit u on u.id = i.unit_id join organisation o on o.id = i.organisation_id
  left join campaign c on c.id = r.campaign_id
  where t.token_hash = $1`,
};

const DEFINITION = {
  name: 'pulse-definition',
  text: `select definition, used_at is not null as frozen from instrument_version where id = $1`,
};

/**
 * A submission in one statement, so it is stored exactly when it is acknowledged: the
 * participation mark (once-only by its key) and, with it, the sealed answers — in the pool for a
 * team member, straight into `response` for a leader's self-view (theirs by definition and shown
 * as such). The round row is share-locked so a close cannot slip in between; no invitation row is
 * read for update or written, so nothing about the person changes.
 */
const SUBMIT_TEXT = `with open_round as (
    select r.id from round r where r.id = $2 and r.status = 'open' and r.closes_at > now() for share),
  marked as (
    insert into participation (organisation_id, round_id, unit_id, kind, mark, receipt)
    select $1, $2, $3, $4, $5, $6 from open_round
    on conflict (mark) do nothing returning kind),
  pooled as (
    insert into response_pool (organisation_id, round_id, unit_id, sealed)
    select $1, $2, $3, $7 from marked where kind = 'member' returning 1),
  own as (
    insert into response (organisation_id, round_id, unit_id, kind, source, submitted_on, sealed)
    select $1, $2, $3, 'leader_self', 'survey', current_date, $7 from marked where kind = 'leader_self' returning 1)
  select (select count(*) from open_round)::int as open,
         (select count(*) from pooled)::int + (select count(*) from own)::int as stored`;

/** Prepared once per connection (by name): a request's statements are only bound and run. */
const SUBMIT = { name: 'pulse-submit', text: SUBMIT_TEXT };
const RECEIPT = {
  name: 'pulse-receipt',
  text: `select receipt from participation where mark = $1`,
};
const USED = { name: 'pulse-used', text: `select 1 from participation where mark = $1` };

/** The driver's pool, for prepared statements (TypeORM's `query` sends every statement unnamed). */
interface PgPool {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

function askedItems(row: InvitationRow): ItemDef[] {
  const keys = new Set(row.kind === 'member' ? row.itemKeys : row.selfItemKeys);
  return formItems(row.definition, 'full', 0).filter((i) => keys.has(i.key));
}

/** The anonymous side: what a personal link shows, and taking its one submission. */
@Injectable()
export class PulseService {
  /** Definitions of versions used by a round, which cannot change any more. */
  private readonly definitions = new Map<string, InstrumentDef>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly sealer: AnswerSealer,
  ) {}

  private get pool(): PgPool {
    return (this.db.driver as unknown as { master: PgPool }).master;
  }

  private async rows<R>(
    statement: { name: string; text: string },
    values: unknown[],
  ): Promise<R[]> {
    return (await this.pool.query<R>({ ...statement, values })).rows;
  }

  private async definition(versionId: string): Promise<InstrumentDef> {
    const known = this.definitions.get(versionId);
    if (known) return known;
    const [row] = await this.rows<{ definition: InstrumentDef; frozen: boolean }>(DEFINITION, [
      versionId,
    ]);
    if (row.frozen) this.definitions.set(versionId, row.definition);
    return row.definition;
  }

  async form(token: string): Promise<PulseForm> {
    const row = await this.find(token);
    if (await this.used(row)) throw this.alreadyUsed();
    const anonymity = organisationAnonymity(row.settings);
    const items = askedItems(row).map((i) => ({
      key: i.key,
      dimension: i.dimension,
      text: row.kind === 'leader_self' ? (i.selfText ?? i.text) : i.text,
      scale: dimensionScale(row.definition, i.dimension),
    }));
    const asked = new Set(items.map((i) => i.dimension));
    return {
      dimensions: row.definition.dimensions
        .filter((d) => asked.has(d.key))
        .map((d) => ({ key: d.key, name: d.name })),
      audience: row.kind,
      teamName: row.teamName,
      organisationName: row.organisationName,
      instrumentName: row.definition.name,
      closesAt: row.closesAt,
      timeZone: row.timeZone,
      scale: row.definition.scale,
      items,
      allowsComment: row.kind === 'member',
      minGroupSize: anonymity.minGroupSize,
      minCommentGroup: anonymity.minCommentGroup,
    };
  }

  /**
   * Takes one submission: checks it against what this link asks (an item answered `null` is
   * skipped and stored as absent; every problem named with its
   * field, in one domain error, for the JSON API and the answering page alike) and stores it in
   * one statement. Sending the same submission again (its answer was lost on the way back) is
   * answered exactly like the first time and stores nothing more; a different submission on a
   * used link is a 409.
   */
  async submit(token: string, body: unknown): Promise<PulseReceipt> {
    const row = await this.find(token);
    const result = validateSubmission(
      body,
      askedItems(row),
      (dimension) => dimensionScale(row.definition, dimension),
      {
        allowComment: row.kind === 'member',
      },
    );
    if (!result.ok) {
      // A used link is a used link, whatever came with it.
      if (await this.used(row)) throw this.alreadyUsed();
      throw new InvalidInput(result.problems);
    }
    const answers = Object.fromEntries(result.value.answers.map((a) => [a.itemKey, a.value]));
    const comment = result.value.comment || null;
    const comments = result.value.comments ?? [];
    const receipt = this.sealer.receipt(
      row.invitationId,
      canonicalSubmission(result.value.answers, comment, comments),
    );
    // Made fresh for each submission, never from the invitation: a link derivable from anything
    // the application knows would let its operator find the author's comment row.
    const conversation =
      row.kind === 'member' && (comment !== null || comments.length > 0)
        ? CONVERSATION_TOKEN_PREFIX + randomBytes(32).toString('base64url')
        : null;
    const sealed =
      row.kind === 'member'
        ? this.sealer.sealPool(row.roundId, row.unitId, {
            answers,
            comment,
            ...(comments.length ? { comments } : {}),
            ...(conversation
              ? { conversation: this.sealer.conversationHash(conversation).toString('base64') }
              : {}),
          })
        : this.sealer.sealAnswers(row.roundId, row.unitId, 'leader_self', answers);
    const mark = this.sealer.mark(row.invitationId);
    const [outcome] = await this.rows<{ open: number; stored: number }>(SUBMIT, [
      row.organisationId,
      row.roundId,
      row.unitId,
      row.kind,
      mark,
      receipt,
      sealed,
    ]);
    if (outcome.open === 0) throw this.closed();
    const repeated = outcome.stored === 0;
    if (repeated) {
      const [earlier] = await this.rows<{ receipt: Buffer | null }>(RECEIPT, [mark]);
      if (!earlier?.receipt?.equals(receipt)) throw this.alreadyUsed();
    }
    const { minGroupSize, minCommentGroup } = organisationAnonymity(row.settings);
    return {
      teamName: row.teamName,
      organisationName: row.organisationName,
      audience: row.kind,
      promises: { minGroupSize, minCommentGroup },
      conversation: repeated ? null : conversation,
      conversationProof:
        !repeated && conversation
          ? this.sealer.linkMailProof(conversation, new Date().toISOString().slice(0, 10))
          : null,
      repeated: repeated && conversation !== null,
    };
  }

  /** Whether this invitation has answered: only the application can tell, by recomputing its mark. */
  private async used(row: InvitationRow): Promise<boolean> {
    const found = await this.rows(USED, [this.sealer.mark(row.invitationId)]);
    return found.length > 0;
  }

  private async find(token: string): Promise<InvitationRow> {
    const [link] = TOKEN_SHAPE.test(token)
      ? await this.rows<LinkRow>(BY_TOKEN, [hashPulseToken(token)])
      : [];
    if (!link) {
      throw new DomainError(
        'not_found',
        'token: this link is not valid. Use the newest link from your invitation email.',
      );
    }
    if (link.status !== 'open' || link.closesAt <= new Date()) throw this.closed();
    const { versionId, ...row } = link;
    return { ...row, definition: await this.definition(versionId) };
  }

  private closed(): DomainError {
    return new DomainError('gone', 'token: this round has closed; thank you for your interest');
  }

  private alreadyUsed(): DomainError {
    return new DomainError('conflict', 'token: this link has already been used to answer');
  }
}

export { PULSE_TOKEN_PREFIX };
