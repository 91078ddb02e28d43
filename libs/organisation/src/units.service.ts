import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { conflict, invalid, notFound } from '@trellis/errors';
import type { UnitKind } from './entities/unit.entity';

export interface UnitView {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  key: string;
  name: string;
  memberCount: number;
  leaderCount: number;
}

export interface MemberView {
  personId: string;
  name: string;
  email: string;
  role: 'member' | 'leader';
}

/** Who is asking for a list: the whole organisation, or the subtrees a leader leads. */
export type UnitScope = { kind: 'organisation' } | { kind: 'leader'; personId: string };

/**
 * A unit's members are the people who are members of it or of any unit below it, each counted
 * once (a person in two teams is one person), and only people who can be invited: so a
 * department's count is the people its rounds ask, not 0 beside its respondents.
 */
const UNIT_COLUMNS = `u.id, u.parent_id as "parentId", u.kind, u.key, u.name,
  (with recursive below as (select u.id union select c.id from unit c join below b on c.parent_id = b.id)
   select count(distinct m.person_id) from membership m join person p on p.id = m.person_id
    where m.unit_id in (select id from below) and m.role = 'member' and p.deactivated_at is null)::int as "memberCount",
  (select count(*) from membership m where m.unit_id = u.id and m.role = 'leader')::int as "leaderCount"`;

@Injectable()
export class UnitsService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(organisationId: string, scope: UnitScope): Promise<UnitView[]> {
    if (scope.kind === 'organisation') {
      return this.db.query(
        `select ${UNIT_COLUMNS} from unit u where u.organisation_id = $1 order by u.kind <> 'organisation', u.name, u.id`,
        [organisationId],
      );
    }
    return this.db.query(
      `with recursive visible as (
         select u.id from unit u join membership m on m.unit_id = u.id
          where m.person_id = $2 and m.role = 'leader' and u.organisation_id = $1
         union
         select c.id from unit c join visible v on c.parent_id = v.id
       )
       select ${UNIT_COLUMNS} from unit u where u.id in (select id from visible) order by u.name, u.id`,
      [organisationId, scope.personId],
    );
  }

  async get(unitId: string): Promise<UnitView & { organisationId: string }> {
    const rows: (UnitView & { organisationId: string })[] = await this.db.query(
      `select ${UNIT_COLUMNS}, u.organisation_id as "organisationId" from unit u where u.id = $1`,
      [unitId],
    );
    if (!rows[0]) throw notFound('unit');
    return rows[0];
  }

  async members(unitId: string): Promise<MemberView[]> {
    return this.db.query(
      `select p.id as "personId", p.name, p.email, m.role
         from membership m join person p on p.id = m.person_id
        where m.unit_id = $1 order by m.role desc, p.name, p.id`,
      [unitId],
    );
  }

  async create(
    organisationId: string,
    input: { name: string; key: string; kind: 'department' | 'team'; parentId?: string },
  ): Promise<UnitView> {
    return this.db.transaction(async (tx) => {
      await this.lockOrganisation(tx, organisationId);
      const parentId = input.parentId ?? (await this.rootId(tx, organisationId));
      await this.assertParent(tx, organisationId, parentId);
      const clash = await tx.query<unknown[]>(
        `select 1 from unit where organisation_id = $1 and key = $2`,
        [organisationId, input.key],
      );
      if (clash.length) throw conflict('key', `a unit with key "${input.key}" already exists`);
      const [row]: { id: string }[] = await tx.query(
        `insert into unit (organisation_id, parent_id, kind, key, name) values ($1, $2, $3, $4, $5) returning id`,
        [organisationId, parentId, input.kind, input.key, input.name],
      );
      return this.getIn(tx, row.id);
    });
  }

  async update(unitId: string, input: { name?: string; parentId?: string }): Promise<UnitView> {
    return this.db.transaction(async (tx) => {
      const [owner] = await tx.query<{ organisationId: string }[]>(
        `select organisation_id as "organisationId" from unit where id = $1`,
        [unitId],
      );
      if (!owner) throw notFound('unit');
      const { organisationId } = owner;
      // Moves of one organisation take turns (as roster imports do, on the same row), so each
      // cycle check below sees every move committed before it: two opposite moves at once
      // cannot both pass it.
      await this.lockOrganisation(tx, organisationId);
      const unit = await this.getIn(tx, unitId);
      if (input.parentId !== undefined) {
        if (unit.kind === 'organisation')
          throw invalid({ field: 'parentId', message: 'the organisation unit has no parent' });
        await this.assertParent(tx, organisationId, input.parentId);
        const cycle = await tx.query<unknown[]>(
          `with recursive up as (select id, parent_id from unit where id = $1
             union select u.id, u.parent_id from unit u join up on u.id = up.parent_id)
           select 1 from up where id = $2`,
          [input.parentId, unitId],
        );
        if (cycle.length) throw conflict('parentId', 'a unit cannot be moved below itself');
      }
      await tx.query(
        `update unit set name = coalesce($2, name), parent_id = coalesce($3, parent_id), updated_at = now() where id = $1`,
        [unitId, input.name ?? null, input.parentId ?? null],
      );
      return this.getIn(tx, unitId);
    });
  }

  /**
   * A change to the tree bumps the organisation's results epoch (a database trigger) and so
   * updates its row: taken first, in the order a roster import takes it, so the two cannot
   * deadlock, and after any aggregation holding the current basis has committed.
   */
  private async lockOrganisation(tx: EntityManager, organisationId: string): Promise<void> {
    // NO KEY UPDATE: tree changes take turns, while inserts that merely refer to the
    // organisation (answers arriving) are not held up.
    await tx.query(`select 1 from organisation where id = $1 for no key update`, [organisationId]);
  }

  private async getIn(tx: EntityManager, unitId: string): Promise<UnitView> {
    const rows: UnitView[] = await tx.query(`select ${UNIT_COLUMNS} from unit u where u.id = $1`, [
      unitId,
    ]);
    if (!rows[0]) throw notFound('unit');
    return rows[0];
  }

  private async rootId(tx: EntityManager, organisationId: string): Promise<string> {
    const rows: { id: string }[] = await tx.query(
      `select id from unit where organisation_id = $1 and parent_id is null`,
      [organisationId],
    );
    if (!rows[0]) throw notFound('organisation');
    return rows[0].id;
  }

  private async assertParent(
    tx: EntityManager,
    organisationId: string,
    parentId: string,
  ): Promise<void> {
    const rows = await tx.query<unknown[]>(
      `select 1 from unit where id = $1 and organisation_id = $2`,
      [parentId, organisationId],
    );
    // Another organisation's unit is reported exactly like a missing one.
    if (!rows.length)
      throw invalid({ field: 'parentId', message: 'no such unit in this organisation' });
  }
}
