import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { invalid } from '@trellis/errors';
import {
  formItems,
  validateSubmission,
  type InstrumentDef,
  type ItemDef,
  type Scale,
} from './instrument';
import { hashPulseToken, PULSE_TOKEN_PREFIX } from './invitations.service';
import { MIX_BATCH, mixPool } from './response-mixer';

export interface PulseForm {
  audience: 'member' | 'leader_self';
  teamName: string;
  organisationName: string;
  instrumentName: string;
  closesAt: Date;
  scale: Scale;
  items: { key: string; text: string; dimension: string }[];
  /** Comments are for team members; a leader's self-view has none. */
  allowsComment: boolean;
}

interface InvitationRow {
  invitationId: string;
  roundId: string;
  organisationId: string;
  unitId: string;
  kind: 'member' | 'leader_self';
  answered: boolean;
  status: 'open' | 'closed';
  closesAt: Date;
  itemKeys: string[];
  selfItemKeys: string[];
  definition: InstrumentDef;
  teamName: string;
  organisationName: string;
}

const TOKEN_SHAPE = /^p_[A-Za-z0-9_-]{43}$/;

const BY_TOKEN = `select i.id as "invitationId", i.round_id as "roundId", i.organisation_id as "organisationId",
  i.unit_id as "unitId", i.kind, i.answered, r.status, r.closes_at as "closesAt", r.item_keys as "itemKeys",
  r.self_item_keys as "selfItemKeys", v.definition, u.name as "teamName", o.name as "organisationName"
  from invitation_token t join invitation i on i.id = t.invitation_id join round r on r.id = i.round_id
  join instrument_version v on v.id = r.instrument_version_id join unit u on u.id = i.unit_id
  join organisation o on o.id = i.organisation_id
  where t.token_hash = $1`;

function askedItems(row: InvitationRow): ItemDef[] {
  const keys = new Set(row.kind === 'member' ? row.itemKeys : row.selfItemKeys);
  return formItems(row.definition, 'full', 0).filter((i) => keys.has(i.key));
}

/** The anonymous side: what a personal link shows, and taking its one submission. */
@Injectable()
export class PulseService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async form(token: string): Promise<PulseForm> {
    const row = await this.find(token);
    const items = askedItems(row).map((i) => ({
      key: i.key,
      dimension: i.dimension,
      text: row.kind === 'leader_self' ? (i.selfText ?? i.text) : i.text,
    }));
    return {
      audience: row.kind,
      teamName: row.teamName,
      organisationName: row.organisationName,
      instrumentName: row.definition.name,
      closesAt: row.closesAt,
      scale: row.definition.scale,
      items,
      allowsComment: row.kind === 'member',
    };
  }

  /**
   * Stores one submission. Marking the invitation answered and pooling the answers happen in one
   * transaction; the conditional update makes a second submission, even a concurrent one, fail.
   */
  async submit(
    token: string,
    body: unknown,
  ): Promise<{ teamName: string; audience: 'member' | 'leader_self' }> {
    const row = await this.find(token);
    const result = validateSubmission(body, askedItems(row), row.definition.scale);
    if (!result.ok) throw invalid(result.problems);
    if (row.kind === 'leader_self' && result.value.comment) {
      throw invalid({ field: 'comment', message: 'the leader’s self-view takes no comment' });
    }
    await this.db.transaction(async (tx) => {
      // Locks the team's invitations in this round: concurrent submissions of one team queue here,
      // and a second submission of the same link finds it answered.
      const team = await tx.query<{ id: string; answered: boolean }[]>(
        `select i.id, i.answered from invitation i join round r on r.id = i.round_id
          where i.round_id = $1 and i.unit_id = $2 and i.kind = $3 and r.status = 'open' and r.closes_at > now()
          order by i.id for update of i`,
        [row.roundId, row.unitId, row.kind],
      );
      const mine = team.find((i) => i.id === row.invitationId);
      if (!mine) throw this.closed();
      if (mine.answered) throw this.alreadyUsed();
      // Every invitation of the team is rewritten, not just this one, so all of them carry this
      // transaction's id: a pooled answer's transaction id then points at its team, not a person.
      await tx.query(
        `update invitation set answered = answered or id = $1 where id = any($2::uuid[])`,
        [row.invitationId, team.map((i) => i.id)],
      );
      const answers = Object.fromEntries(result.value.answers.map((a) => [a.itemKey, a.value]));
      if (row.kind === 'member') {
        await tx.query(
          `insert into response_pool (organisation_id, round_id, unit_id, answers, comment) values ($1, $2, $3, $4, $5)`,
          [
            row.organisationId,
            row.roundId,
            row.unitId,
            JSON.stringify(answers),
            result.value.comment,
          ],
        );
      } else {
        // A leader's self-view is theirs by definition and shown as such; it never joins the team's pool.
        const [response] = await tx.query<{ id: string }[]>(
          `insert into response (organisation_id, round_id, unit_id, kind, source, submitted_on)
           values ($1, $2, $3, 'leader_self', 'survey', current_date) returning id`,
          [row.organisationId, row.roundId, row.unitId],
        );
        await tx.query(
          `insert into answer (response_id, item_key, value) select $1, key, value::smallint from jsonb_each_text($2::jsonb)`,
          [response.id, JSON.stringify(answers)],
        );
      }
    });
    if (row.kind === 'member') {
      // Its own transaction, so the stored answers share a transaction id with no invitation.
      await this.db.transaction((tx) => mixPool(tx, row.roundId, MIX_BATCH));
    }
    return { teamName: row.teamName, audience: row.kind };
  }

  private async find(token: string): Promise<InvitationRow> {
    const [row] = TOKEN_SHAPE.test(token)
      ? await this.db.query<InvitationRow[]>(BY_TOKEN, [hashPulseToken(token)])
      : [];
    if (!row) {
      throw new NotFoundException({
        statusCode: 404,
        message: 'token: this link is not valid. Use the newest link from your invitation email.',
      });
    }
    if (row.status !== 'open' || row.closesAt <= new Date()) throw this.closed();
    if (row.answered) throw this.alreadyUsed();
    return row;
  }

  private closed(): GoneException {
    return new GoneException({
      statusCode: 410,
      message: 'token: this round has closed; thank you for your interest',
    });
  }

  private alreadyUsed(): ConflictException {
    return new ConflictException({
      statusCode: 409,
      message: 'token: this link has already been used to answer',
    });
  }
}

export { PULSE_TOKEN_PREFIX };
