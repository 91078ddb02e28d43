import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The basis results are computed on. `organisation.results_epoch` counts changes of results'
 * inputs (the unit tree, the anonymity and flag settings, an earlier or corrected round); a
 * round's results are current only while `round.results_epoch` equals it. The tree and settings
 * bump it by trigger, so no code path can change them without the results going stale in the
 * same transaction. Rounds aggregated before this migration have no epoch: they are re-derived
 * once, since nothing says which tree they were computed on.
 */
export class ResultsBasis1764500000000 implements MigrationInterface {
  name = 'ResultsBasis1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table organisation add column results_epoch bigint not null default 0`);
    await q.query(`alter table round add column results_epoch bigint`);
    await q.query(
      `alter table export add column results_epoch bigint, add column min_group_size int`,
    );
    await q.query(`alter table export drop constraint if exists export_status_check`);
    await q.query(
      `alter table export add constraint export_status_check
         check (status in ('queued', 'running', 'ready', 'failed', 'expired', 'withdrawn'))`,
    );
    await q.query(`
      create function bump_results_epoch(org uuid) returns void language sql as $$
        update organisation set results_epoch = results_epoch + 1 where id = org
      $$`);
    await q.query(`
      create function unit_tree_changed() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform bump_results_epoch(old.organisation_id);
          return old;
        end if;
        perform bump_results_epoch(new.organisation_id);
        return new;
      end $$`);
    // A unit is born empty, with nobody and nothing below it: it adds 0 to every total and
    // changes no decision, so creating one leaves results current. Moving units under it does not.
    await q.query(`
      create trigger unit_removed after delete on unit
        for each row execute function unit_tree_changed()`);
    await q.query(`
      create trigger unit_moved after update of parent_id on unit
        for each row when (old.parent_id is distinct from new.parent_id)
        execute function unit_tree_changed()`);
    // Notification settings change who is told, not what results are.
    await q.query(`
      create function results_settings_changed() returns trigger language plpgsql as $$
      begin
        if (old.settings - 'notifications') is distinct from (new.settings - 'notifications') then
          new.results_epoch := old.results_epoch + 1;
        end if;
        return new;
      end $$`);
    await q.query(`
      create trigger results_settings_changed before update of settings on organisation
        for each row execute function results_settings_changed()`);
    await q.query(
      `create index round_results_basis on round (organisation_id, period_start, id) where status = 'closed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop index if exists round_results_basis`);
    await q.query(`drop trigger if exists results_settings_changed on organisation`);
    await q.query(`drop function if exists results_settings_changed()`);
    await q.query(`drop trigger if exists unit_moved on unit`);
    await q.query(`drop trigger if exists unit_removed on unit`);
    await q.query(`drop function if exists unit_tree_changed()`);
    await q.query(`drop function if exists bump_results_epoch(uuid)`);
    await q.query(`alter table export drop constraint if exists export_status_check`);
    await q.query(`update export set status = 'expired' where status = 'withdrawn'`);
    await q.query(
      `alter table export add constraint export_status_check
         check (status in ('queued', 'running', 'ready', 'failed', 'expired'))`,
    );
    await q.query(`alter table export drop column results_epoch, drop column min_group_size`);
    await q.query(`alter table round drop column results_epoch`);
    await q.query(`alter table organisation drop column results_epoch`);
  }
}
