import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { baseDataSourceOptions } from '../libs/database/src/data-source';
import { migrations } from '../libs/database/src/migrations';
import { AnswerSealer, DEVELOPMENT_ANSWER_KEY } from '../libs/surveys/src/sealing';
import { admin, urlFor } from './support/databases';

/**
 * An installation that ran before sealed storage: its plaintext pool, answers, comments and
 * `invitation.answered` are converted by the migration, with the configured key, and nothing
 * plaintext is left.
 */
describe('migrating stored answers to sealed storage', () => {
  const name = `trellis_mig_${randomBytes(5).toString('hex')}`;
  const url = urlFor(name);
  let db: Client;

  async function migrate(upTo: number): Promise<void> {
    const ds = new DataSource({
      ...baseDataSourceOptions(url, 1),
      migrations: migrations.slice(0, upTo),
    });
    await ds.initialize();
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await ds.destroy();
    }
  }

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${name}`));
    await migrate(migrations.findIndex((m) => m.name === 'SealedAnswers1764200000000'));
    db = new Client({ connectionString: url });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db.end();
    await admin((c) => c.query(`drop database if exists ${name}`));
  });

  it('turns answered invitations into marks and plaintext into sealed values, and drops the plaintext columns', async () => {
    const q = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;
    const [org] = await q(
      `insert into organisation (slug, name) values ('legacy', 'Legacy') returning id`,
    );
    const [root] = await q(
      `insert into unit (organisation_id, kind, key, name) values ($1, 'organisation', 'root', 'Legacy') returning id`,
      [org.id],
    );
    const [team] = await q(
      `insert into unit (organisation_id, parent_id, kind, key, name) values ($1, $2, 'team', 'core', 'Core') returning id`,
      [org.id, root.id],
    );
    const [instrument] = await q(
      `insert into instrument (key, name) values ('legacy', 'Legacy') returning id`,
    );
    const [version] = await q(
      `insert into instrument_version (instrument_id, version, definition, scale_min, scale_max)
       values ($1, 1, '{}', 1, 5) returning id`,
      [instrument.id],
    );
    const [round] = await q(
      `insert into round (organisation_id, instrument_version_id, form, period_start, period_end, opens_at, closes_at, item_keys, source)
       values ($1, $2, 'short', current_date, current_date + 7, now(), now() + interval '7 days', '{a,b}', 'schedule') returning id`,
      [org.id, version.id],
    );
    const people = await q(
      `insert into person (organisation_id, email, name) select $1, 'p' || n || '@legacy.test', 'P' || n
         from generate_series(1, 3) n returning id`,
      [org.id],
    );
    const invitations = await q(
      `insert into invitation (organisation_id, round_id, unit_id, person_id, kind, answered)
       select $1, $2, $3, p, 'member', n <= 2 from unnest($4::uuid[]) with ordinality as x(p, n) returning id, answered`,
      [org.id, round.id, team.id, people.map((p) => p.id)],
    );
    await q(
      `insert into response_pool (organisation_id, round_id, unit_id, answers, comment)
       values ($1, $2, $3, '{"a": 4, "b": 2}', 'legacy pooled words')`,
      [org.id, round.id, team.id],
    );
    const [response] = await q(
      `insert into response (organisation_id, round_id, unit_id, kind, source, submitted_on)
       values ($1, $2, $3, 'member', 'survey', current_date) returning id`,
      [org.id, round.id, team.id],
    );
    await q(`insert into answer (response_id, item_key, value) values ($1, 'a', 5), ($1, 'b', 1)`, [
      response.id,
    ]);
    await q(
      `insert into comment (organisation_id, round_id, unit_id, body, submitted_on)
       values ($1, $2, $3, 'legacy stored words', current_date)`,
      [org.id, round.id, team.id],
    );

    await migrate(migrations.length);

    const sealer = new AnswerSealer(process.env.ANSWER_KEY || DEVELOPMENT_ANSWER_KEY);
    const marks = new Set(
      (await q(`select mark from participation`)).map((r) => (r.mark as Buffer).toString('hex')),
    );
    expect(marks).toEqual(
      new Set(
        invitations
          .filter((i) => i.answered)
          .map((i) => sealer.mark(i.id as string).toString('hex')),
      ),
    );
    const [pooled] = await q(`select unit_id, sealed from response_pool`);
    expect(sealer.openPool(round.id, pooled.unit_id, pooled.sealed)).toEqual({
      answers: { a: 4, b: 2 },
      comment: 'legacy pooled words',
    });
    const [stored] = await q(`select id, unit_id, kind, sealed from response`);
    expect(stored.id).toBe(response.id);
    expect(sealer.openAnswers(round.id, stored.unit_id, stored.kind, stored.sealed)).toEqual({
      a: 5,
      b: 1,
    });
    const [comment] = await q(`select unit_id, sealed from comment`);
    expect(sealer.openComment(round.id, comment.unit_id, comment.sealed)).toBe(
      'legacy stored words',
    );

    const plaintext = await q(
      `select table_name, column_name from information_schema.columns where table_schema = 'public'
         and ((table_name = 'invitation' and column_name = 'answered')
           or (table_name = 'response_pool' and column_name in ('answers', 'comment'))
           or (table_name = 'comment' and column_name = 'body')
           or table_name = 'answer')`,
    );
    expect(plaintext).toEqual([]);
    for (const table of ['response_pool', 'response', 'comment', 'participation'])
      for (const row of await q(`select row_to_json(x)::text as t from ${table} x`))
        expect(row.t).not.toMatch(/legacy (pooled|stored) words/);
  }, 60_000);
});
