import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { Response } from 'supertest';
import { PeopleService, UnitsService } from '@trellis/organisation';
import { AnswerSealer, AUTONOMY_ALIGNMENT_PULSE, RoundsService } from '@trellis/surveys';
import { createOrg, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { createTestApp, type TestApp } from './support/test-app';

// Boots a real app, opens several rounds, sends mail and runs property tests.
jest.setTimeout(180_000);

/**
 * Bad input to the survey endpoints: every refusal is a 4xx that names what is wrong, and a
 * refused request writes nothing — no campaign, instrument version, round or answer, and a
 * personal link stays unanswered, so the person can still answer.
 */

const MAX_BODY_BYTES = 20_000;
const UNKNOWN = '0b5e7c1a-3f2d-4e6b-9a8c-7d1e2f3a4b5c';
const long = (n: number) => 'x'.repeat(n);
const daysFromNow = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

type Who = 'hr' | 'admin' | 'leader';

/** The fields a 400 names, and that its message mentions each of them. */
function expectFields(res: Response, fields: string[], status = 400): void {
  const named = [...new Set((res.body.errors ?? []).map((e: { field: string }) => e.field))];
  // The body is part of the received value so a failure shows what the app answered.
  expect({ status: res.status, fields: named.sort(), body: res.body }).toMatchObject({
    status,
    fields: [...fields].sort(),
  });
  for (const field of fields) expect(res.body.message).toContain(field);
}

// ------------------------------------------------------------------ campaigns

const CAMPAIGN = {
  name: 'Engineering pulse',
  form: 'short',
  cadence: 'weekly',
  timezone: 'Europe/Berlin',
  openDays: 5,
  reminderDays: [2, 4],
  startsOn: '2030-01-07',
};

/** [what is wrong, the body's changes ({team} etc. filled in), the fields the 400 names] */
const CAMPAIGN_CASES: [string, Record<string, unknown>, string[]][] = [
  ['unknown time zone', { timezone: 'Mars/Olympus_Mons' }, ['timezone']],
  ['time zone that is an abbreviation', { timezone: 'CEST' }, ['timezone']],
  ['cron that does not parse', { cadence: 'cron', cron: 'every monday at nine' }, ['cron']],
  ['cron with a minute out of range', { cadence: 'cron', cron: '61 9 * * 1' }, ['cron']],
  ['cadence cron without a cron', { cadence: 'cron' }, ['cron']],
  ['cron without cadence cron', { cadence: 'weekly', cron: '0 9 * * 1' }, ['cron']],
  ['reminder after the round closes', { reminderDays: [2, 6] }, ['reminderDays[1]']],
  ['reminder when the round closes', { reminderDays: [5] }, ['reminderDays[0]']],
  ['reminder at opening', { reminderDays: [0] }, ['reminderDays[0]']],
  ['reminder before opening', { reminderDays: [-1, 2] }, ['reminderDays[0]']],
  ['reminder day as text', { reminderDays: ['2'] }, ['reminderDays']],
  ['team of another organisation', { teamIds: ['{otherTeam}'] }, ['teamIds']],
  ['ours and another organisation’s team', { teamIds: ['{team}', '{otherTeam}'] }, ['teamIds']],
  ['a department, not a team', { teamIds: ['{dept}'] }, ['teamIds']],
  ['the organisation unit, not a team', { teamIds: ['{root}'] }, ['teamIds']],
  ['unknown team', { teamIds: [UNKNOWN] }, ['teamIds']],
  ['team id that is not a UUID', { teamIds: ['platform'] }, ['teamIds']],
  ['a team twice', { teamIds: ['{team}', '{team}'] }, ['teamIds']],
  ['no teams', { teamIds: [] }, ['teamIds']],
  ['openDays 0', { openDays: 0 }, ['openDays']],
  ['openDays 91', { openDays: 91 }, ['openDays']],
  ['openDays "5"', { openDays: '5' }, ['openDays']],
  ['openDays negative', { openDays: -5, reminderDays: [] }, ['openDays']],
  ['startsOn with month 13', { startsOn: '2026-13-01' }, ['startsOn']],
  ['startsOn 30 February', { startsOn: '2026-02-30' }, ['startsOn']],
  ['startsOn not a date', { startsOn: 'next monday' }, ['startsOn']],
  ['unknown instrument', { instrumentId: UNKNOWN }, ['instrumentId']],
  ['another organisation’s instrument', { instrumentId: '{otherInstrument}' }, ['instrumentId']],
  ['unknown form', { form: 'long' }, ['form']],
  ['unknown cadence', { cadence: 'daily' }, ['cadence']],
  ['empty name', { name: '   ' }, ['name']],
  ['unknown field', { active: false }, ['active']],
];

// ------------------------------------------------------------------ instruments

const INSTRUMENT = {
  key: 'team-check',
  name: 'Team check',
  description: 'Two dimensions, three items',
  scale: { min: 1, max: 5, labels: ['Never', 'Rarely', 'Sometimes', 'Often', 'Always'] },
  dimensions: [
    { key: 'focus', name: 'Focus', description: 'Whether the team can focus' },
    { key: 'trust', name: 'Trust', description: '' },
  ],
  items: [
    { key: 'f1', dimension: 'focus', text: 'We can focus.', selfText: 'I let the team focus.' },
    { key: 'f2', dimension: 'focus', text: 'Interruptions are rare.', reverse: false },
    { key: 't1', dimension: 'trust', text: 'We trust each other.', source: 'own wording' },
  ],
};
type Instrument = typeof INSTRUMENT;
type Item = Instrument['items'][number];

function without<T extends object>(value: T, key: keyof T): Partial<T> {
  const copy: Partial<T> = { ...value };
  delete copy[key];
  return copy;
}
const withItem = (d: Instrument, i: number, item: Record<string, unknown>) => ({
  ...d,
  items: d.items.map((x, j) => (j === i ? item : x)),
});
const withItemField = (d: Instrument, i: number, field: string, value: unknown) =>
  withItem(d, i, { ...d.items[i], [field]: value });
const withDimension = (d: Instrument, i: number, dimension: unknown) => ({
  ...d,
  dimensions: d.dimensions.map((x, j) => (j === i ? dimension : x)),
});

/** The problems validate-instrument reports, each surfacing as a 400 naming its path. */
const INSTRUMENT_CASES: [string, (d: Instrument) => unknown, string[]][] = [
  ['a list instead of an object', (d) => [d], ['instrument']],
  ['unknown top-level field', (d) => ({ ...d, version: 2 }), ['version']],
  ['key with capitals and a space', (d) => ({ ...d, key: 'Team Check' }), ['key']],
  ['missing key', (d) => without(d, 'key'), ['key']],
  ['blank name', (d) => ({ ...d, name: '   ' }), ['name']],
  ['name too long', (d) => ({ ...d, name: long(201) }), ['name']],
  ['description too long', (d) => ({ ...d, description: long(2001) }), ['description']],
  ['missing scale', (d) => without(d, 'scale'), ['scale']],
  ['scale.min not whole', (d) => ({ ...d, scale: { min: 1.5, max: 5 } }), ['scale.min']],
  ['scale.max as text', (d) => ({ ...d, scale: { min: 1, max: '5' } }), ['scale.max']],
  ['scale.max below scale.min', (d) => ({ ...d, scale: { min: 5, max: 1 } }), ['scale.max']],
  ['twelve options', (d) => ({ ...d, scale: { min: 0, max: 11 } }), ['scale']],
  ['scale.min beyond -100', (d) => ({ ...d, scale: { min: -101, max: -95 } }), ['scale.min']],
  [
    'four labels for five options',
    (d) => ({ ...d, scale: { ...d.scale, labels: d.scale.labels.slice(1) } }),
    ['scale.labels'],
  ],
  [
    'a label that is not text',
    (d) => ({ ...d, scale: { ...d.scale, labels: ['Never', 7, 'Sometimes', 'Often', 'Always'] } }),
    ['scale.labels[1]'],
  ],
  ['unknown scale field', (d) => ({ ...d, scale: { ...d.scale, step: 1 } }), ['scale.step']],
  [
    'no dimensions',
    (d) => ({ ...d, dimensions: [] }),
    ['dimensions', 'items[0].dimension', 'items[1].dimension', 'items[2].dimension'],
  ],
  [
    'dimension key with capitals',
    (d) => withDimension(d, 1, { ...d.dimensions[1], key: 'Trust' }),
    ['dimensions[1].key', 'items[2].dimension'],
  ],
  [
    'a dimension key twice',
    (d) => withDimension(d, 1, { ...d.dimensions[1], key: 'focus' }),
    ['dimensions[1].key', 'items[2].dimension'],
  ],
  [
    'a dimension without items',
    (d) => ({ ...d, dimensions: [...d.dimensions, { key: 'pace', name: 'Pace' }] }),
    ['dimensions[2]'],
  ],
  [
    'a dimension that is text',
    (d) => withDimension(d, 1, 'trust'),
    ['dimensions[1]', 'items[2].dimension'],
  ],
  [
    'an item naming an unknown dimension',
    (d) => withItemField(d, 0, 'dimension', 'pace'),
    ['items[0].dimension'],
  ],
  ['an item key twice', (d) => withItemField(d, 1, 'key', 'f1'), ['items[1].key']],
  ['item key with a space', (d) => withItemField(d, 0, 'key', ' f1'), ['items[0].key']],
  ['item without text', (d) => withItem(d, 0, without(d.items[0], 'text')), ['items[0].text']],
  ['item text too long', (d) => withItemField(d, 0, 'text', long(501)), ['items[0].text']],
  ['reverse as text', (d) => withItemField(d, 1, 'reverse', 'yes'), ['items[1].reverse']],
  ['unknown item field', (d) => withItemField(d, 0, 'weight', 2), ['items[0].weight']],
  ['no items', (d) => ({ ...d, items: [] }), ['items', 'dimensions[0]', 'dimensions[1]']],
  [
    'an item that is text',
    (d) => withItem(d, 2, 't1' as unknown as Item),
    ['items[2]', 'dimensions[1]'],
  ],
  [
    '201 items',
    (d) => ({
      ...d,
      items: Array.from({ length: 201 }, (_, i) => ({
        key: `i${i}`,
        dimension: 'focus',
        text: 'x',
      })),
    }),
    ['items'],
  ],
  [
    'several problems at once',
    (d) => ({ ...withItemField(d, 1, 'reverse', 1), key: '-x', scale: { min: 1.5, max: 5 } }),
    ['key', 'scale.min', 'items[1].reverse'],
  ],
];

// ------------------------------------------------------------------ the suite

describe('survey input', () => {
  let t: TestApp;
  let org: OrgFixture;
  let other: OrgFixture;
  let mailbox: Awaited<ReturnType<typeof startMailbox>> | undefined;
  const bearer: Partial<Record<Who, string>> = {};
  let ids: Record<string, string>;
  let people: PeopleService;
  let units: UnitsService;

  /** An open round over the team Crowd, whose members' links the tests spend one by one. */
  let crowd: { roundId: string; tokens: string[]; keys: string[]; min: number; max: number };

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
      REQUEST_LIMIT_PER_MINUTE: '1000000',
      SIGN_IN_LIMIT: '10000',
      SIGN_IN_ADDRESS_LIMIT: '10000',
    });
    org = await createOrg(t.app, 'survey-input');
    other = await createOrg(t.app, 'survey-input-other');
    people = t.app.get(PeopleService);
    units = t.app.get(UnitsService);
    for (const who of ['hr', 'admin', 'leader'] as const)
      bearer[who] = await signIn(t.http, org[who].email);
    const otherInstrument = await t.http
      .post(`/organisations/${other.orgId}/instruments`)
      .set('authorization', `Bearer ${await signIn(t.http, other.hr.email)}`)
      .send({ ...INSTRUMENT, key: 'theirs' });
    expect(otherInstrument.status).toBe(201);
    ids = {
      org: org.orgId,
      root: org.rootId,
      dept: org.deptId,
      team: org.teamId,
      subTeam: org.subTeamId,
      otherTeam: other.teamId,
      otherInstrument: otherInstrument.body.id,
    };

    const members = await teamWithMembers('crowd', 70);
    const round = await openRoundNow(t.app, org, {
      teamIds: [members.teamId],
      leaderSelfView: false,
    });
    const tokens = members.emails.map((email) => onlyToken(email));
    const form = await t.http.get(`/pulse/${tokens[0]}`);
    expect(form.status).toBe(200);
    crowd = {
      roundId: round.roundId,
      tokens,
      keys: (form.body.items as { key: string }[]).map((i) => i.key),
      min: form.body.scale.min,
      max: form.body.scale.max,
    };
    expect(crowd.keys.length).toBeGreaterThanOrEqual(6);
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  const as = (who: Who) => ({ authorization: `Bearer ${bearer[who]}` });
  const fill = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value).replace(/\{(\w+)\}/g, (whole, name: string) => ids[name] ?? whole),
    );

  /** A new team of the organisation with `n` members, each with an email address. */
  async function teamWithMembers(key: string, n: number) {
    const team = await units.create(org.orgId, { name: key, key, kind: 'team' });
    const emails: string[] = [];
    for (let i = 0; i < n; i++) {
      const email = `${key}-${i}@survey-input.test`;
      const person = await people.create(org.orgId, { email, name: `${key} ${i}` });
      await people.addMembership(team.id, person.id, 'member');
      emails.push(email);
    }
    return { teamId: team.id, emails };
  }

  /** The token of the one personal link this person has been sent. */
  function onlyToken(email: string): string {
    const links = mailbox!.linksFor(email);
    if (links.length !== 1) throw new Error(`${email} has ${links.length} links, not 1`);
    return tokenOf(links[0]);
  }

  function freshToken(): string {
    const token = crowd.tokens.pop();
    if (!token) throw new Error('out of personal links: make the crowd bigger');
    return token;
  }

  const validAnswers = () => Object.fromEntries(crowd.keys.map((k) => [k, crowd.min]));

  async function rows(sql: string, params: unknown[] = []) {
    return (await t.db.query(sql, params)).rows;
  }

  // ---------------------------------------------------------------- campaigns

  describe('POST /organisations/:orgId/campaigns', () => {
    const snapshot = () =>
      rows(
        `select (select count(*)::int from campaign) as campaigns,
                (select count(*)::int from campaign_team) as teams,
                (select count(*)::int from round) as rounds`,
      );
    const create = (body: unknown, who: Who = 'hr') =>
      t.http
        .post(`/organisations/${org.orgId}/campaigns`)
        .set(as(who))
        .send(fill(body) as object);

    it.each(CAMPAIGN_CASES)(
      '%s: 400 naming the field, nothing written',
      async (_what, change, fields) => {
        const before = await snapshot();
        const res = await create({ ...CAMPAIGN, teamIds: ['{team}'], ...change });
        expectFields(res, fields);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('the same body without the fault is accepted (the cases above fail for their fault alone)', async () => {
      const before = (await snapshot())[0];
      const res = await create({ ...CAMPAIGN, teamIds: ['{team}'] });
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
      const cron = await create({
        ...CAMPAIGN,
        name: 'Cron pulse',
        cadence: 'cron',
        cron: '0 9 * * 1',
        openDays: 0.5,
        reminderDays: [0.25],
        teamIds: ['{team}', '{subTeam}'],
      });
      expect({ status: cron.status, body: cron.body }).toMatchObject({ status: 201 });
      expect((await snapshot())[0]).toEqual({
        ...before,
        campaigns: before.campaigns + 2,
        teams: before.teams + 3,
      });
    });

    it('PATCH /campaigns/:campaignId: bad changes are 400s naming the field and change nothing', async () => {
      const created = await create({ ...CAMPAIGN, name: 'To patch', teamIds: ['{team}'] });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const state = () =>
        rows(`select name, active, reminder_days::float8[] as r from campaign where id = $1`, [id]);
      const before = await state();
      const cases: [unknown, string[]][] = [
        [{ reminderDays: [9] }, ['reminderDays[0]']],
        [{ reminderDays: [1, 5] }, ['reminderDays[1]']],
        [{ reminderDays: 2 }, ['reminderDays']],
        [{ active: 'no' }, ['active']],
        [{ name: '' }, ['name']],
        [{ name: long(201) }, ['name']],
        // Teams and the round's length can change (the campaign pages change them), not to nonsense.
        [{ teamIds: [] }, ['teamIds']],
        [{ teamIds: [org.rootId] }, ['teamIds']],
        [{ openDays: 0 }, ['openDays']],
        [{ openDays: 1 }, ['reminderDays[0]', 'reminderDays[1]']],
        [{ cadence: 'cron' }, ['cron']],
        [{ timezone: 'Mars/Olympus' }, ['timezone']],
        [{ startsOn: '2027-02-30' }, ['startsOn']],
      ];
      for (const [body, fields] of cases) {
        const res = await t.http
          .patch(`/campaigns/${id}`)
          .set(as('hr'))
          .send(body as object);
        expectFields(res, fields);
      }
      expect(await state()).toEqual(before);
      const ok = await t.http
        .patch(`/campaigns/${id}`)
        .set(as('hr'))
        .send({ reminderDays: [1] });
      expect(ok.status).toBe(200);
    });
  });

  // ---------------------------------------------------------------- instruments

  describe('instruments', () => {
    const snapshot = () =>
      rows(
        `select (select count(*)::int from instrument) as instruments,
                (select count(*)::int from instrument_item) as items,
                (select json_agg(json_build_object('id', id, 'definition', definition, 'used', used_at is not null)
                   order by id) from instrument_version) as versions,
                (select json_agg(name order by id) from instrument) as names`,
      );
    const post = (body: unknown) =>
      t.http
        .post(`/organisations/${org.orgId}/instruments`)
        .set(as('hr'))
        .send(body as object);

    it.each(INSTRUMENT_CASES)(
      'POST, %s: 400 naming the path, nothing written',
      async (_what, change, fields) => {
        const before = await snapshot();
        expectFields(await post(change(INSTRUMENT)), fields);
        expect(await snapshot()).toEqual(before);
      },
    );

    it('PUT /instruments/:instrumentId refuses the same problems and changes nothing', async () => {
      const created = await post({ ...INSTRUMENT, key: 'put-target' });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const before = await snapshot();
      for (const [what, change, fields] of INSTRUMENT_CASES.filter(
        ([, , f]) => !f.includes('key') && !f.includes('instrument'),
      )) {
        const res = await t.http
          .put(`/instruments/${id}`)
          .set(as('hr'))
          .send(change({ ...INSTRUMENT, key: 'put-target' }) as object);
        expect(`${what}: ${res.status}`).toBe(`${what}: 400`);
        expectFields(res, fields);
      }
      // The key names the instrument; it cannot change.
      expectFields(
        await t.http
          .put(`/instruments/${id}`)
          .set(as('hr'))
          .send({ ...INSTRUMENT, key: 'renamed' }),
        ['key'],
      );
      expect(await snapshot()).toEqual(before);
    });

    it('a second instrument with the same key is a 409 naming the key', async () => {
      expect((await post({ ...INSTRUMENT, key: 'twice' })).status).toBe(201);
      const before = await snapshot();
      expectFields(await post({ ...INSTRUMENT, key: 'twice', name: 'Again' }), ['key'], 409);
      expect(await snapshot()).toEqual(before);
    });

    it('the built-in instrument cannot be edited, even with a valid definition', async () => {
      const list = await t.http.get(`/organisations/${org.orgId}/instruments`).set(as('admin'));
      expect(list.status).toBe(200);
      const builtIn = (list.body as { id: string; builtIn: boolean }[]).find((i) => i.builtIn)!;
      const before = await snapshot();
      for (const body of [
        AUTONOMY_ALIGNMENT_PULSE,
        { ...AUTONOMY_ALIGNMENT_PULSE, name: 'Our pulse now' },
      ]) {
        const res = await t.http.put(`/instruments/${builtIn.id}`).set(as('admin')).send(body);
        expectFields(res, ['instrumentId']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('malformed and unknown instrument ids', async () => {
      expectFields(await t.http.get('/instruments/nope').set(as('hr')), ['instrumentId']);
      expectFields(await t.http.put('/instruments/nope').set(as('hr')).send(INSTRUMENT), [
        'instrumentId',
      ]);
      expect((await t.http.get(`/instruments/${UNKNOWN}`).set(as('hr'))).status).toBe(404);
      expect(
        (await t.http.put(`/instruments/${UNKNOWN}`).set(as('hr')).send(INSTRUMENT)).status,
      ).toBe(404);
    });

    it('editing a version a round has used makes a new version; the used one never changes', async () => {
      const key = 'versioned';
      const v1 = { ...INSTRUMENT, key };
      const created = await post(v1);
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const get = async () => {
        const res = await t.http.get(`/instruments/${id}`).set(as('hr'));
        expect(res.status).toBe(200);
        return res.body as {
          latestVersion: number;
          versions: { id: string; version: number; inUse: boolean; definition: { name: string } }[];
        };
      };

      // Unused, an edit changes the only version in place.
      const renamed = { ...v1, name: 'Team check, renamed' };
      expect((await t.http.put(`/instruments/${id}`).set(as('hr')).send(renamed)).status).toBe(200);
      const unused = await get();
      expect(unused.versions).toEqual([
        expect.objectContaining({
          version: 1,
          inUse: false,
          definition: expect.objectContaining({ name: renamed.name }),
        }),
      ]);
      const firstId = unused.versions[0].id;

      // A round uses it: the version is frozen.
      const { roundId } = await openRoundNow(t.app, org, {
        instrumentId: id,
        teamIds: [org.teamId],
        form: 'full',
      });
      const used = await get();
      expect(used.versions).toEqual([expect.objectContaining({ id: firstId, inUse: true })]);
      const frozen = (
        await rows(`select definition from instrument_version where id = $1`, [firstId])
      )[0];

      const v2 = withItemField(renamed, 0, 'text', 'We can focus on our work.');
      expect((await t.http.put(`/instruments/${id}`).set(as('hr')).send(v2)).status).toBe(200);
      const after = await get();
      expect(after.latestVersion).toBe(2);
      expect(after.versions).toEqual([
        expect.objectContaining({ version: 2, inUse: false }),
        expect.objectContaining({ id: firstId, version: 1, inUse: true }),
      ]);
      expect(after.versions[0].definition).toMatchObject({
        items: [
          expect.objectContaining({ text: 'We can focus on our work.' }),
          expect.anything(),
          expect.anything(),
        ],
      });
      expect(after.versions[1].definition).toEqual(frozen.definition);
      expect(
        await rows(`select instrument_version_id as v from round where id = $1`, [roundId]),
      ).toEqual([{ v: firstId }]);

      // The unused second version is edited in place: still two versions.
      const v2b = { ...v2, name: 'Team check, again' };
      expect((await t.http.put(`/instruments/${id}`).set(as('hr')).send(v2b)).status).toBe(200);
      expect((await get()).versions.map((v) => v.version)).toEqual([2, 1]);

      // The database itself refuses to change or remove a used version.
      await expect(
        t.db.query(`update instrument_version set definition = '{}'::jsonb where id = $1`, [
          firstId,
        ]),
      ).rejects.toThrow(/has been used in a round and cannot change/);
      await expect(
        t.db.query(`update instrument_version set scale_max = scale_max + 1 where id = $1`, [
          firstId,
        ]),
      ).rejects.toThrow(/has been used in a round and cannot change/);
      await expect(
        t.db.query(`delete from instrument_version where id = $1`, [firstId]),
      ).rejects.toThrow(/has been used in a round and cannot change/);
      expect(
        (await rows(`select definition from instrument_version where id = $1`, [firstId]))[0],
      ).toEqual(frozen);
      // ...while an unused version may still change.
      await expect(
        t.db.query(
          `update instrument_version set definition = definition where instrument_id = $1 and version = 2`,
          [id],
        ),
      ).resolves.toBeDefined();
    });
  });

  // ---------------------------------------------------------------- answering

  describe('POST /pulse/:token', () => {
    /** Everything a submission could write. */
    const pulseState = async () =>
      (
        await rows(
          `select (select count(*)::int from response_pool) as pool,
                  (select count(*)::int from response) as responses,
                  (select count(*)::int from comment) as comments,
                  (select count(*)::int from participation) as answered`,
        )
      )[0] as Record<string, number>;
    /** Whether the link's invitation has answered: only the application's key can tell. */
    const answeredBy = async (token: string) =>
      Promise.all(
        (
          await rows(
            `select t.invitation_id as id from invitation_token t where t.token_hash = $1`,
            [createHash('sha256').update(token).digest('hex')],
          )
        ).map(
          async (r) =>
            (
              await rows(`select 1 from participation where mark = $1`, [
                t.app.get(AnswerSealer).mark(r.id as string),
              ])
            ).length > 0,
        ),
      );
    const submit = (token: string, body: unknown) =>
      t.http
        .post(`/pulse/${token}`)
        .set('content-type', 'application/json')
        .send(typeof body === 'string' ? body : JSON.stringify(body));

    it('unknown and malformed links are 404s, for reading and answering, and write nothing', async () => {
      const before = await pulseState();
      const real = freshToken();
      const tokens = [
        `p_${randomBytes(32).toString('base64url')}`, // well-formed, never issued
        'nope',
        `p_${'a'.repeat(42)}`,
        `${real}x`,
        real.slice(0, -1),
        `q_${real.slice(2)}`,
        `p_${'a'.repeat(5000)}`,
        encodeURIComponent(`${real.slice(0, -1)}+`),
      ];
      for (const token of tokens) {
        const read = await t.http.get(`/pulse/${token}`);
        const answer = await submit(token, { answers: validAnswers() });
        expect(`GET ${token}: ${read.status}`).toBe(`GET ${token}: 404`);
        expect(`POST ${token}: ${answer.status}`).toBe(`POST ${token}: 404`);
        expect(answer.body.message).toMatch(/^token: /);
      }
      expect(await pulseState()).toEqual(before);
      expect(await answeredBy(real)).toEqual([false]);
    });

    it('each bad submission is a 4xx naming the field, writes nothing and leaves the link unanswered', async () => {
      const token = freshToken();
      const [k0, k1] = crowd.keys;
      const valid = validAnswers();
      // Items of the instrument that this round's short form does not ask.
      const [n0, n1] = AUTONOMY_ALIGNMENT_PULSE.items
        .map((i) => i.key)
        .filter((k) => !crowd.keys.includes(k));
      const cases: [string, unknown, string[]][] = [
        ['missing item', { answers: without(valid, k0) }, [`answers.${k0}`]],
        [
          'two missing items',
          { answers: without(without(valid, k0), k1) },
          [`answers.${k0}`, `answers.${k1}`],
        ],
        ['above the scale', { answers: { ...valid, [k0]: crowd.max + 1 } }, [`answers.${k0}`]],
        ['below the scale', { answers: { ...valid, [k0]: crowd.min - 1 } }, [`answers.${k0}`]],
        ['far out of range', { answers: { ...valid, [k0]: 1e21 } }, [`answers.${k0}`]],
        ['an item not asked', { answers: { ...valid, nosuch: 3 } }, ['answers.nosuch']],
        [
          'items of the instrument this form did not ask',
          { answers: { ...valid, [n0]: 3, [n1]: 3 } },
          [`answers.${n0}`, `answers.${n1}`],
        ],
        ['"4" as text', { answers: { ...valid, [k0]: '4' } }, [`answers.${k0}`]],
        ['4.5', { answers: { ...valid, [k0]: 4.5 } }, [`answers.${k0}`]],
        ['true', { answers: { ...valid, [k0]: true } }, [`answers.${k0}`]],
        // null is "Prefer not to answer"; skipping every statement is no answer at all.
        [
          'every item null',
          { answers: Object.fromEntries(Object.keys(valid).map((k) => [k, null])) },
          ['answers'],
        ],
        ['a list', { answers: { ...valid, [k0]: [3] } }, [`answers.${k0}`]],
        ['an extra top-level field', { answers: valid, extra: 1 }, ['extra']],
        [
          'a __proto__ field',
          `{"answers":${JSON.stringify(valid)},"__proto__":{"x":1}}`,
          ['__proto__'],
        ],
        ['no answers', {}, ['answers']],
        ['answers null', { answers: null }, ['answers']],
        ['answers as a list', { answers: Object.values(valid) }, ['answers']],
        ['comment as a number', { answers: valid, comment: 5 }, ['comment']],
        ['comment too long', { answers: valid, comment: long(2001) }, ['comment']],
        ['comment with NUL', { answers: valid, comment: 'a\u0000b' }, ['comment']],
        ['a list as the body', [valid], ['submission']],
      ];
      const before = await pulseState();
      for (const [what, body, fields] of cases) {
        const res = await submit(token, body);
        expect(`${what}: ${res.status}`).toBe(`${what}: 400`);
        expectFields(res, fields);
        expect(await pulseState()).toEqual(before);
        expect(await answeredBy(token)).toEqual([false]);
      }
      const malformed = await submit(token, '{"answers": {');
      expect(malformed.status).toBe(400);

      const big = await submit(token, { answers: valid, comment: long(MAX_BODY_BYTES) });
      expect(big.status).toBe(413);
      expect(await pulseState()).toEqual(before);
      expect(await answeredBy(token)).toEqual([false]);

      // The link still works, once.
      const ok = await submit(token, { answers: valid, comment: '  Good week.  ' });
      expect({ status: ok.status, body: ok.body }).toMatchObject({ status: 201 });
      const stored = await pulseState();
      expect(stored.pool + stored.responses).toBe(before.pool + before.responses + 1);
      expect(stored.answered).toBe(before.answered + 1);
      expect(await answeredBy(token)).toEqual([true]);

      const again = await submit(token, { answers: valid });
      expect(again.status).toBe(409);
      const bad = await submit(token, { answers: {} });
      expect(bad.status).toBe(409);
      expect(await pulseState()).toEqual(stored);
    });

    it("a leader's self-view takes no comment", async () => {
      const platform = await openRoundNow(t.app, org, { teamIds: [org.teamId] });
      const links = mailbox!.linksFor(org.leader.email);
      const token = tokenOf(links[links.length - 1]);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.body).toMatchObject({ audience: 'leader_self', allowsComment: false });
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.min]),
      );
      const before = await pulseState();
      expectFields(await submit(token, { answers, comment: 'I am great' }), ['comment']);
      expect(await pulseState()).toEqual(before);
      expect(await answeredBy(token)).toEqual([false]);
      expect((await submit(token, { answers })).status).toBe(201);
      const [stored] = await rows(
        `select count(*)::int as n from response where round_id = $1 and kind = 'leader_self'`,
        [platform.roundId],
      );
      expect(stored.n).toBe(1);
    });

    it('a round whose closing time has passed is a 410 before the scheduler closes it', async () => {
      const team = await teamWithMembers('late', 2);
      const { roundId } = await openRoundNow(t.app, org, {
        teamIds: [team.teamId],
        leaderSelfView: false,
      });
      const token = onlyToken(team.emails[0]);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.min]),
      );
      await t.db.query(
        `update round set opens_at = now() - interval '2 days', closes_at = now() - interval '1 second' where id = $1`,
        [roundId],
      );
      const before = await pulseState();
      expect((await t.http.get(`/pulse/${token}`)).status).toBe(410);
      expect((await submit(token, { answers })).status).toBe(410);
      expect(await pulseState()).toEqual(before);
      expect(await answeredBy(token)).toEqual([false]);
    });

    it('a closed round is a 410, and its links write nothing', async () => {
      const team = await teamWithMembers('closing', 2);
      const { roundId } = await openRoundNow(t.app, org, {
        teamIds: [team.teamId],
        leaderSelfView: false,
      });
      const token = onlyToken(team.emails[0]);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.min]),
      );
      expect(await t.app.get(RoundsService).close(roundId)).toBe(true);
      const before = await pulseState();
      const read = await t.http.get(`/pulse/${token}`);
      const answer = await submit(token, { answers });
      expect(await pulseState()).toEqual(before);
      expect(
        await rows(`select count(*)::int as n from participation where round_id = $1`, [roundId]),
      ).toEqual([{ n: 0 }]);
      expect({ status: read.status, body: read.body }).toMatchObject({ status: 410 });
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 410 });
    });

    it('10 concurrent, different answers with one link: exactly one is stored, the rest are 409s', async () => {
      const team = await teamWithMembers('race', 1);
      const { roundId } = await openRoundNow(t.app, org, {
        teamIds: [team.teamId],
        leaderSelfView: false,
      });
      const token = onlyToken(team.emails[0]);
      const form = await t.http.get(`/pulse/${token}`);
      expect(form.status).toBe(200);
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.max]),
      );
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => submit(token, { answers, comment: `Only once ${i}` })),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
      const [stored] = await rows(
        `select (select count(*)::int from response_pool where round_id = $1) as pool,
                (select count(*)::int from response where round_id = $1) as responses,
                (select count(*)::int from participation where round_id = $1) as answered`,
        [roundId],
      );
      expect(stored.pool + stored.responses).toBe(1);
      expect(stored.answered).toBe(1);
    });

    it('POST /r/:token (the form page) refuses bad input the same way, with the same problems, and writes nothing', async () => {
      const token = freshToken();
      const [k0] = crowd.keys;
      const form = Object.fromEntries(crowd.keys.map((k) => [`answers[${k}]`, String(crowd.min)]));
      // Each form, and what the same submission is as JSON: one service names the same problems.
      const cases: [object, unknown][] = [
        [
          { ...form, [`answers[${k0}]`]: String(crowd.max + 1) },
          { answers: { ...validAnswers(), [k0]: crowd.max + 1 } },
        ],
        [{ ...form, [`answers[${k0}]`]: '4.0' }, { answers: { ...validAnswers(), [k0]: '4.0' } }],
        [{ ...form, 'answers[nosuch]': '3' }, { answers: { ...validAnswers(), nosuch: 3 } }],
        [
          { ...form, extra: '1' },
          { answers: validAnswers(), extra: '1' },
        ],
        [without(form, `answers[${k0}]`), { answers: without(validAnswers(), k0) }],
        [
          { ...form, comment: 'a\u0000b' },
          { answers: validAnswers(), comment: 'a\u0000b' },
        ],
      ];
      const asked = (await t.http.get(`/pulse/${token}`)).body.items as { key: string }[];
      const before = await pulseState();
      for (const [body, json] of cases) {
        const page = await t.http.post(`/r/${token}`).type('form').send(body);
        const api = await submit(token, json);
        const fields = (api.body.errors as { field: string }[]).map((e) => e.field);
        expect({ status: page.status, api: api.status }).toEqual({ status: 400, api: 400 });
        expect(page.headers['content-type']).toContain('text/html');
        // One line in the page's summary per problem the API names, and the same statements marked.
        const summary = page.text.slice(page.text.indexOf('id="error-summary"'));
        const listed = summary.slice(0, summary.indexOf('</ul>')).match(/<li>/g) ?? [];
        expect(listed).toHaveLength(fields.length);
        const marked = [...page.text.matchAll(/<fieldset class="q invalid" id="q-(\d+)"/g)].map(
          (m) => `answers.${asked[Number(m[1]) - 1].key}`,
        );
        expect(marked).toEqual(fields.filter((f) => asked.some((i) => f === `answers.${i.key}`)));
        if (fields.includes('comment')) expect(page.text).toContain('id="comment-error"');
      }
      const json = await t.http.post(`/r/${token}`).send({ answers: validAnswers() });
      expect(json.status).toBe(415);
      expect(await pulseState()).toEqual(before);
      expect(await answeredBy(token)).toEqual([false]);
    });
  });

  // ---------------------------------------------------------------- history imports

  describe('POST /organisations/:orgId/history-imports', () => {
    const [A, B, C] = AUTONOMY_ALIGNMENT_PULSE.items.map((i) => i.key);
    const PERIOD = { periodStart: '2025-03-03', periodEnd: '2025-03-16' };
    const historyState = async () =>
      (
        await rows(
          `select (select count(*)::int from round) as rounds,
                  (select count(*)::int from round_team) as round_teams,
                  (select count(*)::int from response_pool) as pool,
                  (select count(*)::int from response) as responses,
                  (select count(*)::int from comment) as comments,
                  (select count(*)::int from instrument_version where used_at is not null) as used_versions,
                  (select json_agg(aggregated_at order by id) from round) as aggregated`,
        )
      )[0] as Record<string, unknown>;
    const upload = (csv: string, query: Record<string, string> = PERIOD, who: Who = 'hr') =>
      t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .set(as(who))
        .query(query)
        .set('content-type', 'text/csv')
        .send(csv);
    /** `n` valid rows for `columns` item columns. */
    const rowsOf = (n: number, team = 'platform', columns = 3) =>
      Array.from(
        { length: n },
        (_, i) =>
          `${team},${Array.from({ length: columns }, (_, c) => ((i + c) % 5) + 1).join(',')}`,
      ).join('\n');
    const problemsOf = (res: Response) =>
      (res.body.problems as { line: number; column: string }[] | undefined)
        ?.map((p) => `${p.line}:${p.column}`)
        .sort();

    async function expectRejected(
      csv: string,
      query: Record<string, string>,
      expected: { problems?: string[]; fields?: string[]; status?: number },
    ) {
      const before = await historyState();
      const res = await upload(csv, query);
      if (expected.problems) {
        expect({ status: res.status, problems: problemsOf(res), body: res.body }).toMatchObject({
          status: 400,
          problems: [...expected.problems].sort(),
        });
        expect(res.body.message).toMatch(/nothing was imported/);
      } else if (expected.fields) {
        expectFields(res, expected.fields, expected.status);
      } else {
        expect(res.status).toBe(expected.status);
      }
      expect(await historyState()).toEqual(before);
    }

    it('every bad row is reported at once, by line and column, and nothing is written', async () => {
      const csv = [
        `team,${A},${B},${C}`, // 1
        'platform,1,2,3', // 2: fine
        'platform,6,2,3', // 3: above the scale
        'platform,1,2.5,3', // 4: not whole
        'platform,0,2,3', // 5: below the scale
        'platform,,,', // 6: no answers
        'platform,1,2', // 7: too few values
        'sales,1,2,3,4', // 8: too many values
        ',1,2,3', // 9: no team
        'platform,1,x,-2', // 10: two bad cells
        'platform, 4 ,"5",3', // 11: fine (trimmed, quoted)
      ].join('\n');
      await expectRejected(csv, PERIOD, {
        problems: [
          `3:${A}`,
          `4:${B}`,
          `5:${A}`,
          '6:*',
          '7:*',
          '8:*',
          '9:team',
          `10:${B}`,
          `10:${C}`,
        ],
      });
      // Windows line endings and a byte-order mark count lines the same way.
      await expectRejected(`\uFEFF${csv.replace(/\n/g, '\r\n')}`, PERIOD, {
        problems: [
          `3:${A}`,
          `4:${B}`,
          `5:${A}`,
          '6:*',
          '7:*',
          '8:*',
          '9:team',
          `10:${B}`,
          `10:${C}`,
        ],
      });
    });

    it('unknown team keys are reported by line, and nothing is written', async () => {
      const csv = [
        `team,${A},${B}`,
        'platform,1,2',
        'nosuch,1,2', // 3
        'eng,1,2', // 4: a department
        'sales,1,2',
        'PLATFORM,1,2', // 6: keys are exact
      ].join('\n');
      await expectRejected(csv, PERIOD, { problems: ['3:team', '4:team', '6:team'] });
    });

    it('unknown team keys are reported together with the file’s other problems', async () => {
      const csv = [`team,${A},${B}`, 'nosuch,1,2', 'platform,9,2'].join('\n');
      await expectRejected(csv, PERIOD, { problems: ['2:team', `3:${A}`] });
    });

    it('header problems: no team column, an unknown item column, an item twice', async () => {
      await expectRejected(`${A},nosuch,${B}\n1,2,3\n`, PERIOD, {
        problems: ['1:team', '1:nosuch'],
      });
      await expectRejected(`team,${A},${A}\nplatform,1,2\n`, PERIOD, { problems: [`1:${A}`] });
      await expectRejected('team\nplatform\n', PERIOD, { problems: ['1:*'] });
      await expectRejected(`team,${A}\n`, PERIOD, { problems: ['1:*'] });
      await expectRejected('', PERIOD, { problems: ['1:*'] });
      await expectRejected(`team,${A}\nplatform,"1\n`, PERIOD, { problems: ['2:*'] });
    });

    it('a NUL in a team key is reported like any unknown team, not a 500', async () => {
      await expectRejected(`team,${A}\nplat\u0000form,3\n`, PERIOD, { problems: ['2:team'] });
    });

    it.each([
      [
        'periodEnd in the future',
        { periodStart: '2025-01-06', periodEnd: daysFromNow(2) },
        ['periodEnd'],
      ],
      [
        'periodEnd far in the future',
        { periodStart: '2025-01-06', periodEnd: '2099-01-31' },
        ['periodEnd'],
      ],
      [
        'periodEnd before periodStart',
        { periodStart: '2025-02-01', periodEnd: '2025-01-31' },
        ['periodEnd'],
      ],
      ['no period', {}, ['periodStart', 'periodEnd']],
      ['no periodEnd', { periodStart: '2025-01-06' }, ['periodEnd']],
      [
        'periodStart with month 13',
        { periodStart: '2025-13-01', periodEnd: '2025-01-31' },
        ['periodStart'],
      ],
      [
        'periodStart 30 February',
        { periodStart: '2025-02-30', periodEnd: '2025-03-31' },
        ['periodStart'],
      ],
      ['unknown query parameter', { ...PERIOD, dryRun: 'true' }, ['dryRun']],
      ['malformed roundId', { roundId: 'nope' }, ['roundId']],
      ['unknown roundId', { roundId: UNKNOWN }, ['roundId']],
      ['malformed instrumentId', { ...PERIOD, instrumentId: 'nope' }, ['instrumentId']],
      ['unknown instrumentId', { ...PERIOD, instrumentId: UNKNOWN }, ['instrumentId']],
    ])('%s: 400 naming it, nothing written', async (_what, query, fields) => {
      await expectRejected(`team,${A},${B}\n${rowsOf(5, 'platform', 2)}\n`, query, { fields });
    });

    it("another organisation's round or instrument is unknown here", async () => {
      const theirs = await openRoundNow(t.app, other);
      await t.app.get(RoundsService).close(theirs.roundId);
      const csv = `team,${A},${B},${C}\n${rowsOf(5)}\n`;
      await expectRejected(csv, { roundId: theirs.roundId }, { fields: ['roundId'] });
      await expectRejected(
        csv,
        { ...PERIOD, instrumentId: ids.otherInstrument },
        { fields: ['instrumentId'] },
      );
    });

    it('importing into an open round is a 400', async () => {
      await expectRejected(
        `team,${A},${B},${C}\n${rowsOf(5)}\n`,
        { roundId: crowd.roundId },
        { fields: ['roundId'] },
      );
    });

    it('an import into an existing round goes only into an imported round, with at least k (5) per team', async () => {
      const first = await upload(`team,${A},${B},${C}\n${rowsOf(5)}\n`);
      expect({ status: first.status, body: first.body }).toMatchObject({
        status: 201,
        body: { respondents: 5 },
      });
      const imported = first.body.roundId as string;
      const closed = await openRoundNow(t.app, org, { teamIds: [org.otherTeamId] });
      expect(await t.app.get(RoundsService).close(closed.roundId)).toBe(true);
      await expectRejected(
        `team,${A},${B},${C}\n${rowsOf(4)}\n`,
        { roundId: imported },
        { fields: ['file'] },
      );
      // Never into a pulse round, however many rows.
      await expectRejected(
        `team,${A},${B},${C}\n${rowsOf(5)}\n`,
        { roundId: closed.roundId },
        { fields: ['roundId'] },
      );
      // Five are enough.
      const before = await historyState();
      const five = await upload(`team,${A},${B},${C}\n${rowsOf(5, 'sales')}\n`, {
        roundId: imported,
      });
      expect({ status: five.status, body: five.body }).toMatchObject({
        status: 201,
        body: { roundId: imported },
      });
      expect((await historyState()).responses).toBe((before.responses as number) + 5);
    });

    it('not CSV, or too big: 415 and 413, nothing written', async () => {
      const before = await historyState();
      const json = await t.http
        .post(`/organisations/${org.orgId}/history-imports`)
        .set(as('hr'))
        .query(PERIOD)
        .send({ csv: `team,${A}\nplatform,1\n` });
      expect(json.status).toBe(415);
      const csv = `team,${A},${B},${C}\n${rowsOf(2000)}\n`;
      expect(Buffer.byteLength(csv)).toBeGreaterThan(MAX_BODY_BYTES);
      expect((await upload(csv)).status).toBe(413);
      expect(await historyState()).toEqual(before);
    });
  });

  // ---------------------------------------------------------------- properties

  describe('arbitrary input never causes a 5xx, and writes nothing unless accepted', () => {
    const NUM_RUNS = 100;

    it('POST /pulse/:token with arbitrary JSON', async () => {
      const { keys, min, max } = crowd;
      const anyValue = fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: min - 2, max: max + 2 }) },
        { weight: 1, arbitrary: fc.constantFrom<unknown>('3', 4.5, true, null, -0, 1e21, [], {}) },
        { weight: 1, arbitrary: fc.jsonValue() },
      );
      const comment = fc.oneof(
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constant(null),
        fc.constant(long(2001)),
        fc.jsonValue(),
      );
      const exact = fc.record(Object.fromEntries(keys.map((k) => [k, fc.integer({ min, max })])));
      const loose = fc.oneof(
        fc.record(Object.fromEntries(keys.map((k) => [k, anyValue])), { requiredKeys: [] }),
        fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 4 })), anyValue, {
          maxKeys: keys.length + 2,
        }),
      );
      const body = fc.oneof(
        {
          weight: 3,
          arbitrary: fc.record({ answers: exact, comment }, { requiredKeys: ['answers'] }),
        },
        {
          weight: 3,
          arbitrary: fc.record(
            { answers: fc.oneof(exact, loose, fc.jsonValue()), comment, extra: fc.jsonValue() },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: fc.jsonValue() },
        { weight: 1, arbitrary: fc.object() },
      );

      const state = async () =>
        (
          await rows(
            `select (select count(*)::int from response_pool) + (select count(*)::int from response) as stored,
                    (select count(*)::int from comment) as comments,
                    (select count(*)::int from participation) as answered`,
          )
        )[0] as { stored: number; comments: number; answered: number };

      const statuses = new Map<number, number>();
      const used = new Set<string>();
      let token = freshToken();
      await fc.assert(
        fc.asyncProperty(body, async (value) => {
          const before = await state();
          const res = await t.http
            .post(`/pulse/${token}`)
            .set('content-type', 'application/json')
            .send(JSON.stringify(value) ?? '');
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          const after = await state();
          if (res.status === 201 && used.has(token)) {
            // The same submission sent again on a used link: acknowledged, nothing more stored.
            expect(after).toEqual(before);
          } else if (res.status === 201) {
            used.add(token);
            expect(after.stored).toBe(before.stored + 1);
            expect(after.answered).toBe(before.answered + 1);
            token = crowd.tokens.length > 10 ? freshToken() : token;
          } else {
            expect(after).toEqual(before);
          }
        }),
        { numRuns: NUM_RUNS },
      );
      // Both paths were exercised, and refusals came from validation, not from the link.
      expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(NUM_RUNS / 4);
      expect([...statuses.keys()].every((s) => [201, 400, 409].includes(s))).toBe(true);
    });

    it('POST /organisations/:orgId/history-imports with arbitrary CSV-ish text', async () => {
      const itemKeys = AUTONOMY_ALIGNMENT_PULSE.items.slice(0, 5).map((i) => i.key);
      const teams = ['platform', 'sales', 'crowd', 'platform-data'];
      const goodCell = fc.oneof(fc.integer({ min: 1, max: 5 }).map(String), fc.constant(''));
      const anyCell = fc.oneof(
        { weight: 4, arbitrary: goodCell },
        {
          weight: 2,
          arbitrary: fc.constantFrom(
            ...teams,
            'eng',
            'nope',
            'PLATFORM',
            '0',
            '6',
            '-1',
            '2.5',
            ' 3 ',
            '"4"',
            '1e0',
            '٣',
            '99999999999999999999',
            '\u0000',
            '"',
            '""',
            'a,b',
            '"a,b"',
            '"a\nb"',
            ';',
            '\t',
            'team',
          ),
        },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      );
      const headerCell = fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...itemKeys) },
        { weight: 1, arbitrary: fc.constantFrom('team', 'Team', 'team_key', 'team id', 'x', '') },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      );
      const valid = fc
        .tuple(
          fc.subarray(itemKeys, { minLength: 1 }),
          fc.array(fc.constantFrom(...teams), { minLength: 1, maxLength: 6 }),
        )
        .chain(([cols, rowTeams]) =>
          fc.tuple(
            fc.constant(cols),
            fc.tuple(
              ...rowTeams.map((team) =>
                fc
                  .tuple(...cols.map(() => fc.integer({ min: 1, max: 5 }).map(String)))
                  .map((cells) => [team, ...cells]),
              ),
            ),
          ),
        )
        .map(([cols, body]) => [['team', ...cols], ...body].map((r) => r.join(',')).join('\n'));
      const messy = fc
        .record({
          header: fc.oneof(
            fc.array(headerCell, { maxLength: 6 }).map((h) => ['team', ...h]),
            fc.array(headerCell, { maxLength: 6 }),
          ),
          rows: fc.array(
            fc.tuple(
              fc.oneof(fc.constantFrom(...teams, 'eng', ''), anyCell),
              fc.array(anyCell, { maxLength: 7 }),
            ),
            { maxLength: 8 },
          ),
          delimiter: fc.constantFrom(',', ',', ';', '\t'),
          newline: fc.constantFrom('\n', '\r\n', '\r'),
          bom: fc.boolean(),
          trailing: fc.constantFrom('', '\n', '\n\n'),
        })
        .map(
          ({ header, rows: body, delimiter, newline, bom, trailing }) =>
            (bom ? '\uFEFF' : '') +
            [header, ...body.map(([team, cells]) => [team, ...cells])]
              .map((r) => r.join(delimiter))
              .join(newline) +
            trailing,
        );
      const text = fc.oneof(
        { weight: 2, arbitrary: valid },
        { weight: 5, arbitrary: messy },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 100 }) },
      );

      const state = async () =>
        (
          await rows(
            `select (select count(*)::int from round) as rounds,
                    (select count(*)::int from round_team) as round_teams,
                    (select count(*)::int from response_pool) as pool,
                    (select count(*)::int from response) as responses,
                    (select count(*)::int from instrument_version where used_at is not null) as used_versions`,
          )
        )[0] as Record<string, number>;

      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(text, async (csv) => {
          const before = await state();
          const res = await t.http
            .post(`/organisations/${org.orgId}/history-imports`)
            .set(as('hr'))
            .query({ periodStart: '2025-04-07', periodEnd: '2025-04-20' })
            .set('content-type', 'text/csv')
            .send(csv);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status).toBeLessThan(500);
          const after = await state();
          if (res.status === 201) {
            expect(after.rounds).toBe(before.rounds + 1);
            expect(after.responses).toBe(before.responses + (res.body.respondents as number));
          } else {
            expect(after).toEqual(before);
            expect(res.status).toBe(400);
            expect(res.body.problems ?? res.body.errors).toEqual(expect.any(Array));
          }
        }),
        { numRuns: NUM_RUNS },
      );
      expect(statuses.get(201) ?? 0).toBeGreaterThan(0);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(NUM_RUNS / 4);
    });
  });
});
