import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService } from '@trellis/audit';
import { returning } from '@trellis/database';
import { conflict, invalid, notFound } from '@trellis/errors';
import { AUTONOMY_ALIGNMENT_PULSE, validateInstrument, type InstrumentDef } from './instrument';

export interface InstrumentSummary {
  id: string;
  key: string;
  name: string;
  builtIn: boolean;
  latestVersion: number;
}

export interface InstrumentVersionView {
  id: string;
  instrumentId: string;
  version: number;
  inUse: boolean;
  definition: InstrumentDef;
}

const SUMMARY = `select i.id, i.key, i.name, i.organisation_id is null as "builtIn",
  (select max(v.version) from instrument_version v where v.instrument_id = i.id)::int as "latestVersion"
  from instrument i`;

/**
 * Instruments and their versions. A version that a round has used is frozen (a trigger refuses
 * changes too); editing then makes the next version, so old rounds keep meaning what they meant.
 */
@Injectable()
export class InstrumentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** A person adds an instrument to their organisation: validated, written and audited. */
  async add(
    organisationId: string,
    actor: Parameters<typeof actorOf>[0],
    input: unknown,
  ): Promise<InstrumentSummary & { versions: InstrumentVersionView[] }> {
    const created = await this.create(organisationId, input);
    await this.audit.record(actorOf(actor), {
      action: 'instrument.create',
      targetKind: 'instrument',
      targetId: created.id,
      detail: { key: created.key, version: created.latestVersion },
    });
    return created;
  }

  /**
   * A person edits an instrument: the latest version in place while no round used it, otherwise
   * a new version (used versions are frozen). Audited with the version it wrote.
   */
  async edit(
    instrumentId: string,
    actor: Parameters<typeof actorOf>[0],
    input: unknown,
  ): Promise<InstrumentSummary & { versions: InstrumentVersionView[] }> {
    const before = await this.get(instrumentId);
    const after = await this.update(instrumentId, input);
    await this.audit.record(actorOf(actor), {
      action: 'instrument.update',
      targetKind: 'instrument',
      targetId: instrumentId,
      detail: {
        key: after.key,
        version: after.latestVersion,
        newVersion: after.latestVersion !== before.latestVersion,
      },
    });
    return after;
  }

  /** A definition checked as saving would check it, for a preview that writes nothing. */
  check(input: unknown): InstrumentDef {
    return this.validate(input);
  }

  /** Makes sure the built-in pulse exists in its current wording; safe to call from every process. */
  async ensureBuiltIn(): Promise<string> {
    return this.db.transaction(async (tx) => {
      await tx.query(`select pg_advisory_xact_lock(hashtext('instrument:built-in'))`);
      const [existing] = await tx.query<{ id: string }[]>(
        `select id from instrument where organisation_id is null and key = $1`,
        [AUTONOMY_ALIGNMENT_PULSE.key],
      );
      const id =
        existing?.id ??
        (
          await tx.query<{ id: string }[]>(
            `insert into instrument (organisation_id, key, name) values (null, $1, $2) returning id`,
            [AUTONOMY_ALIGNMENT_PULSE.key, AUTONOMY_ALIGNMENT_PULSE.name],
          )
        )[0].id;
      await this.saveDefinition(tx, id, AUTONOMY_ALIGNMENT_PULSE);
      return id;
    });
  }

  async builtInId(): Promise<string> {
    const [row] = await this.db.query<{ id: string }[]>(
      `select id from instrument where organisation_id is null and key = $1`,
      [AUTONOMY_ALIGNMENT_PULSE.key],
    );
    return row?.id ?? this.ensureBuiltIn();
  }

  async list(organisationId: string): Promise<InstrumentSummary[]> {
    await this.builtInId();
    return this.db.query(
      `${SUMMARY} where i.organisation_id is null or i.organisation_id = $1 order by i.organisation_id nulls first, i.name`,
      [organisationId],
    );
  }

  async get(
    instrumentId: string,
  ): Promise<InstrumentSummary & { versions: InstrumentVersionView[] }> {
    const [summary] = await this.db.query<InstrumentSummary[]>(`${SUMMARY} where i.id = $1`, [
      instrumentId,
    ]);
    if (!summary) throw notFound('instrument');
    const versions = await this.db.query<InstrumentVersionView[]>(
      `select id, instrument_id as "instrumentId", version, used_at is not null as "inUse", definition
         from instrument_version where instrument_id = $1 order by version desc`,
      [instrumentId],
    );
    return { ...summary, versions };
  }

  async create(
    organisationId: string,
    input: unknown,
  ): Promise<InstrumentSummary & { versions: InstrumentVersionView[] }> {
    const def = this.validate(input);
    const id = await this.db.transaction(async (tx) => {
      const [created] = await tx.query<{ id: string }[]>(
        `insert into instrument (organisation_id, key, name) values ($1, $2, $3)
         on conflict do nothing returning id`,
        [organisationId, def.key, def.name],
      );
      if (!created) throw conflict('key', `an instrument with key "${def.key}" already exists`);
      await this.saveDefinition(tx, created.id, def);
      return created.id;
    });
    return this.get(id);
  }

  async update(
    instrumentId: string,
    input: unknown,
  ): Promise<InstrumentSummary & { versions: InstrumentVersionView[] }> {
    const def = this.validate(input);
    await this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ key: string; builtIn: boolean }[]>(
        `select key, organisation_id is null as "builtIn" from instrument where id = $1 for update`,
        [instrumentId],
      );
      if (!row) throw notFound('instrument');
      if (row.builtIn)
        throw invalid({
          field: 'instrumentId',
          message: 'the built-in instrument cannot be edited; create your own',
        });
      if (def.key !== row.key) throw invalid({ field: 'key', message: `must stay "${row.key}"` });
      await tx.query(`update instrument set name = $2 where id = $1`, [instrumentId, def.name]);
      await this.saveDefinition(tx, instrumentId, def);
    });
    return this.get(instrumentId);
  }

  /** The version a new round uses; marking it used freezes it. */
  async versionForRound(
    tx: EntityManager,
    instrumentId: string,
  ): Promise<{ id: string; definition: InstrumentDef }> {
    const [version] = await returning<{ id: string; definition: InstrumentDef }>(
      tx,
      `update instrument_version set used_at = coalesce(used_at, now())
        where id = (select id from instrument_version where instrument_id = $1 order by version desc limit 1)
        returning id, definition`,
      [instrumentId],
    );
    if (!version) throw notFound('instrument version');
    return version;
  }

  private validate(input: unknown): InstrumentDef {
    const result = validateInstrument(input);
    if (!result.ok) throw invalid(result.problems);
    return result.value;
  }

  /** Writes a definition as the latest version: in place while unused, as a new version once used. */
  private async saveDefinition(
    tx: EntityManager,
    instrumentId: string,
    def: InstrumentDef,
  ): Promise<void> {
    const [latest] = await tx.query<
      { id: string; version: number; used: boolean; same: boolean }[]
    >(
      `select id, version, used_at is not null as used, definition = $2::jsonb as same
         from instrument_version where instrument_id = $1 order by version desc limit 1`,
      [instrumentId, JSON.stringify(def)],
    );
    if (latest?.same) return;
    if (latest && !latest.used) {
      await tx.query(
        `update instrument_version set definition = $2, scale_min = $3, scale_max = $4 where id = $1`,
        [latest.id, JSON.stringify(def), def.scale.min, def.scale.max],
      );
      await tx.query(`delete from instrument_item where instrument_version_id = $1`, [latest.id]);
      await this.saveItems(tx, latest.id, def);
      return;
    }
    const [created] = await tx.query<{ id: string }[]>(
      `insert into instrument_version (instrument_id, version, definition, scale_min, scale_max)
       values ($1, $2, $3, $4, $5) returning id`,
      [instrumentId, (latest?.version ?? 0) + 1, JSON.stringify(def), def.scale.min, def.scale.max],
    );
    await this.saveItems(tx, created.id, def);
  }

  private async saveItems(tx: EntityManager, versionId: string, def: InstrumentDef): Promise<void> {
    await tx.query(
      `insert into instrument_item (instrument_version_id, key, dimension, reverse_keyed, position)
       select $1, t.key, t.dimension, t.reverse, t.position
         from unnest($2::text[], $3::text[], $4::boolean[], $5::int[]) as t(key, dimension, reverse, position)`,
      [
        versionId,
        def.items.map((i) => i.key),
        def.items.map((i) => i.dimension),
        def.items.map((i) => i.reverse),
        def.items.map((_, i) => i),
      ],
    );
  }
}
