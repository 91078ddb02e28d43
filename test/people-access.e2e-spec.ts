import { createHash } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { ApiTokensService } from '@trellis/identity';
import { PeopleService } from '@trellis/organisation';
import { createOrg, PASSWORD, principalOf, signIn, type OrgFixture } from './support/fixtures';
import { startMailbox, tokenOf } from './support/mailbox';
import { openRoundNow } from './support/surveys';
import { signInLinkFor } from './support/sign-in-links';
import { createTestApp, type TestApp } from './support/test-app';
import { startWorker } from './support/worker';

jest.setTimeout(120_000);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * People and access through the JSON API, against the real database, Redis, worker and a local
 * SMTP server: the directory, roles, leadership, deactivation, sign-in invitations and password
 * resets, with their refusals.
 */
describe('people and access', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;
  let org: OrgFixture;
  let other: OrgFixture;
  let admin: string;
  let hr: string;
  let people: PeopleService;

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const base = () => `/organisations/${org.orgId}/people`;

  /** The newest set-password link mailed to someone, waiting for the worker to send it. */
  async function linkFor(email: string, after = 0): Promise<string> {
    return signInLinkFor(mailbox, t.db, email, after);
  }

  async function newPerson(
    local: string,
    opts: { roles?: ('hr' | 'admin')[]; leads?: string } = {},
  ) {
    const email = `${local}@people.test`;
    const p = await people.create(org.orgId, { email, name: local });
    if (opts.roles?.length) await people.setRoles(p.id, opts.roles);
    if (opts.leads) await people.addMembership(opts.leads, p.id, 'leader');
    return { id: p.id, email };
  }

  beforeAll(async () => {
    mailbox = await startMailbox();
    t = await createTestApp({
      SMTP_URL: mailbox.url,
      PUBLIC_URL: 'https://trellis.example.test',
      SIGN_IN_LIMIT: '10000',
      SIGN_IN_ADDRESS_LIMIT: '10000',
      REQUEST_LIMIT_PER_MINUTE: '1000000',
    });
    worker = await startWorker();
    people = t.app.get(PeopleService);
    org = await createOrg(t.app, 'people');
    other = await createOrg(t.app, 'people-other');
    admin = await signIn(t.http, org.admin.email);
    hr = await signIn(t.http, org.hr.email);
  }, 60_000);

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await mailbox?.close();
  });

  describe('the directory', () => {
    it('searches by name or email, filters by team, role and status, and pages', async () => {
      const byName = await t.http.get(base()).query({ search: 'leader' }).set(as(hr));
      expect(byName.status).toBe(200);
      expect(byName.body.items.map((p: { email: string }) => p.email).sort()).toEqual(
        [org.leader.email, org.otherLeader.email].sort(),
      );

      const team = await t.http.get(base()).query({ unitId: org.teamId }).set(as(hr));
      expect(team.body.items.map((p: { email: string }) => p.email).sort()).toEqual(
        [org.leader.email, org.otherLeader.email, org.member.email].sort(),
      );
      const leader = team.body.items.find((p: { email: string }) => p.email === org.leader.email);
      expect(leader).toMatchObject({
        active: true,
        canSignIn: true,
        roles: [],
        teams: [{ unitId: org.teamId, unitName: 'Platform', role: 'leader' }],
      });

      const admins = await t.http.get(base()).query({ role: 'admin' }).set(as(hr));
      expect(admins.body.items.map((p: { id: string }) => p.id)).toEqual([org.admin.id]);
      const leaders = await t.http.get(base()).query({ role: 'leader' }).set(as(hr));
      expect(leaders.body.total).toBe(2);

      const paged = await t.http.get(base()).query({ limit: 2, offset: 2 }).set(as(hr));
      expect(paged.body).toMatchObject({ limit: 2, offset: 2, total: 7 });
      expect(paged.body.items).toHaveLength(2);
    });

    it('refuses a bad filter with a 400 naming it', async () => {
      const res = await t.http.get(base()).query({ role: 'owner', status: 'gone' }).set(as(hr));
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('role');
      expect(res.body.message).toContain('status');
    });

    it('shows a person with their teams and roles, and nobody of another organisation', async () => {
      const res = await t.http.get(`${base()}/${org.otherLeader.id}`).set(as(hr));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: org.otherLeader.id,
        roles: [],
        active: true,
        allowed: { grantRoles: false, lead: true, deactivate: true, invite: true },
      });
      expect(res.body.teams).toEqual([
        expect.objectContaining({ unitId: org.otherTeamId, role: 'leader' }),
        expect.objectContaining({ unitId: org.teamId, role: 'member' }),
      ]);
      // Another organisation's person, through this organisation's path: not found.
      const foreign = await t.http.get(`${base()}/${other.member.id}`).set(as(admin));
      expect(foreign.status).toBe(404);
      // And this organisation's person through the other organisation's path: not found either.
      const otherPath = await t.http
        .get(`/organisations/${other.orgId}/people/${org.member.id}`)
        .set(as(admin));
      expect(otherPath.status).toBe(404);
      const badId = await t.http.get(`${base()}/not-a-uuid`).set(as(admin));
      expect(badId.status).toBe(400);
      expect(badId.body.message).toContain('personId');
    });
  });

  describe('organisation roles', () => {
    it('an admin grants and revokes HR, and each change is audited with before and after', async () => {
      const p = await newPerson('granted');
      const grant = await t.http.put(`${base()}/${p.id}/roles/hr`).set(as(admin));
      expect(grant.status).toBe(200);
      expect(grant.body).toEqual({ personId: p.id, role: 'hr', changed: true, roles: ['hr'] });
      const again = await t.http.put(`${base()}/${p.id}/roles/hr`).set(as(admin));
      expect(again.body.changed).toBe(false);
      const revoke = await t.http.delete(`${base()}/${p.id}/roles/hr`).set(as(admin));
      expect(revoke.body).toMatchObject({ changed: true, roles: [] });
      const audit = await t.db.query(
        `select action, actor_person_id as actor, detail from audit_event
          where target_id = $1 order by id`,
        [p.id],
      );
      expect(audit.rows).toEqual([
        {
          action: 'person.role_granted',
          actor: org.admin.id,
          detail: { role: 'hr', before: { roles: [] }, after: { roles: ['hr'] } },
        },
        {
          action: 'person.role_revoked',
          actor: org.admin.id,
          detail: { role: 'hr', before: { roles: ['hr'] }, after: { roles: [] } },
        },
      ]);
    });

    it('HR cannot grant admin (or anything): the policy says admins only', async () => {
      const res = await t.http.put(`${base()}/${org.member.id}/roles/admin`).set(as(hr));
      expect(res.status).toBe(403);
      const roles = await t.db.query(`select role from organisation_role where person_id = $1`, [
        org.member.id,
      ]);
      expect(roles.rows).toEqual([]);
    });

    it('refuses an unknown role with a 400 naming it', async () => {
      const res = await t.http.put(`${base()}/${org.member.id}/roles/owner`).set(as(admin));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'role', message: 'must be one of hr, admin' }]);
    });

    it('never removes the last active admin', async () => {
      const res = await t.http.delete(`${base()}/${org.admin.id}/roles/admin`).set(as(admin));
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('last active admin');
      const still = await t.db.query(
        `select 1 from organisation_role where person_id = $1 and role = 'admin'`,
        [org.admin.id],
      );
      expect(still.rowCount).toBe(1);
    });
  });

  describe('team leadership', () => {
    it('HR makes someone leader of a team and removes them again; they stay a member', async () => {
      const add = await t.http
        .put(`${base()}/${org.member.id}/leads/${org.otherTeamId}`)
        .set(as(hr));
      expect(add.status).toBe(200);
      expect(add.body).toEqual({
        personId: org.member.id,
        unitId: org.otherTeamId,
        changed: true,
        role: 'leader',
      });
      const remove = await t.http
        .delete(`${base()}/${org.member.id}/leads/${org.otherTeamId}`)
        .set(as(hr));
      expect(remove.body).toMatchObject({ changed: true, role: 'member' });
      const rows = await t.db.query(
        `select role from membership where person_id = $1 and unit_id = $2`,
        [org.member.id, org.otherTeamId],
      );
      expect(rows.rows).toEqual([{ role: 'member' }]);
      const actions = await t.db.query(
        `select action, detail from audit_event where target_id = $1 and action like 'person.leader%' order by id`,
        [org.member.id],
      );
      expect(actions.rows.map((r) => r.action)).toEqual([
        'person.leader_added',
        'person.leader_removed',
      ]);
      expect(actions.rows[0].detail).toMatchObject({
        before: { role: null },
        after: { role: 'leader' },
      });
    });

    it('refuses a department, another organisation’s team and a team they do not lead', async () => {
      const dept = await t.http.put(`${base()}/${org.member.id}/leads/${org.deptId}`).set(as(hr));
      expect(dept.status).toBe(400);
      expect(dept.body.errors[0].field).toBe('unitId');
      const foreign = await t.http
        .put(`${base()}/${org.member.id}/leads/${other.teamId}`)
        .set(as(hr));
      expect(foreign.status).toBe(400);
      const notLed = await t.http
        .delete(`${base()}/${org.subMember.id}/leads/${org.teamId}`)
        .set(as(hr));
      expect(notLed.status).toBe(404);
    });
  });

  describe('deactivation', () => {
    it('ends sessions and API tokens at once, refuses sign-in like a wrong password, and reactivates', async () => {
      const p = await newPerson('leaving-hr', { roles: ['hr'] });
      await t.http.put(`/people/${p.id}/password`).set(as(admin)).send({ password: PASSWORD });
      const session = await signIn(t.http, p.email);
      const apiToken = (
        await t.http
          .post(`/organisations/${org.orgId}/api-tokens`)
          .set(as(session))
          .send({ name: 'leaving' })
      ).body.token as string;
      expect((await t.http.get('/auth/me').set(as(session))).status).toBe(200);
      expect((await t.http.get(base()).set(as(apiToken))).status).toBe(200);

      // HR may not deactivate someone who holds a role; an admin may.
      expect((await t.http.post(`${base()}/${p.id}/deactivate`).set(as(hr))).status).toBe(403);
      const res = await t.http.post(`${base()}/${p.id}/deactivate`).set(as(admin));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ personId: p.id, active: false, changed: true });

      expect((await t.http.get('/auth/me').set(as(session))).status).toBe(401);
      expect((await t.http.get(base()).set(as(apiToken))).status).toBe(401);
      const refused = await t.http
        .post('/auth/sign-in')
        .send({ email: p.email, password: PASSWORD });
      const wrong = await t.http
        .post('/auth/sign-in')
        .send({ email: org.hr.email, password: 'not the password' });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual(wrong.body);

      const reactivated = await t.http.post(`${base()}/${p.id}/reactivate`).set(as(admin));
      expect(reactivated.body).toEqual({ personId: p.id, active: true, changed: true });
      const back = await signIn(t.http, p.email);
      expect((await t.http.get('/auth/me').set(as(back))).status).toBe(200);
      // The tokens were revoked, not paused: reactivation does not bring them back.
      expect((await t.http.get(base()).set(as(apiToken))).status).toBe(401);
      const audit = await t.db.query(
        `select action, detail from audit_event where target_id = $1 and action like 'person.%activated' order by id`,
        [p.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual(['person.deactivated', 'person.reactivated']);
      expect(audit.rows[0].detail).toMatchObject({
        before: { active: true },
        after: { active: false },
      });
    });

    it('never deactivates the last active admin', async () => {
      const res = await t.http.post(`${base()}/${org.admin.id}/deactivate`).set(as(admin));
      expect(res.status).toBe(409);
      expect((await t.http.get('/auth/me').set(as(admin))).status).toBe(200);
    });

    it('leaves past answers untouched and keeps the person out of new rounds', async () => {
      const org2 = await createOrg(t.app, 'people-rounds');
      const { roundId } = await openRoundNow(t.app, org2, { teamIds: [org2.teamId] });
      const counts = async () =>
        (
          await t.db.query(
            `select (select count(*) from invitation where person_id = $1)::int as invitations,
                    (select count(*) from participation)::int as participations,
                    (select count(*) from response_pool)::int as pooled,
                    (select count(*) from response)::int as responses`,
            [org2.member.id],
          )
        ).rows[0];
      // The member answers the open round.
      const link = tokenOf(mailbox.linksFor(org2.member.email)[0]);
      const form = await t.http.get(`/pulse/${link}`);
      const answers = Object.fromEntries(
        (form.body.items as { key: string }[]).map((i) => [i.key, form.body.scale.min as number]),
      );
      expect((await t.http.post(`/pulse/${link}`).send({ answers })).status).toBeLessThan(300);
      const before = await counts();
      expect(before.invitations).toBe(1);

      const admin2 = await signIn(t.http, org2.admin.email);
      const res = await t.http
        .post(`/organisations/${org2.orgId}/people/${org2.member.id}/deactivate`)
        .set(as(admin2));
      expect(res.status).toBe(200);
      expect(await counts()).toEqual(before);

      // A new round of a new campaign: everyone of the team but the deactivated member.
      const next = await openRoundNow(t.app, org2, { teamIds: [org2.teamId], name: 'Next pulse' });
      expect(next.roundId).not.toBe(roundId);
      const invited = await t.db.query(
        `select person_id as id from invitation where round_id = $1 and kind = 'member' order by person_id`,
        [next.roundId],
      );
      expect(invited.rows.map((r) => r.id)).toEqual([org2.otherLeader.id].sort());
      const team = await t.db.query(`select invited from round_team where round_id = $1`, [
        next.roundId,
      ]);
      expect(team.rows).toEqual([{ invited: 1 }]);
    });
  });

  describe('sign-in invitations', () => {
    it('an admin invites one person, who sets a password from the emailed link and signs in; the link works once', async () => {
      const p = await newPerson('invited', { leads: org.subTeamId });
      const from = mailbox.mails.length;
      const res = await t.http.post(`${base()}/${p.id}/sign-in-invitation`).set(as(admin));
      expect(res.status).toBe(202);
      const hours = (new Date(res.body.expiresAt).getTime() - Date.now()) / 3_600_000;
      expect(hours).toBeGreaterThan(71.9);
      expect(hours).toBeLessThanOrEqual(72);

      const token = await linkFor(p.email, from);
      const mail = mailbox.mails.slice(from).find((m) => m.to === p.email)!;
      expect(mail.subject).toBe('You are invited to Trellis for Org people');
      expect(mail.text).toContain('https://trellis.example.test/set-password/');
      // Only the hash is stored.
      const stored = await t.db.query(`select token_hash from sign_in_link where person_id = $1`, [
        p.id,
      ]);
      expect(stored.rows).toEqual([{ token_hash: sha256(token) }]);
      const anywhere = await t.db.query(
        `select count(*)::int as n from sign_in_link where token_hash = $1 or id::text = $1`,
        [token],
      );
      expect(anywhere.rows[0].n).toBe(0);

      const page = await t.http.get(`/set-password/${token}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain(p.email);

      const short = await t.http.post('/auth/set-password').send({ token, newPassword: 'short' });
      expect(short.status).toBe(400);
      expect(short.body.message).toContain('newPassword');

      const set = await t.http
        .post('/auth/set-password')
        .send({ token, newPassword: 'a brand new password' });
      expect({ status: set.status, body: set.body as unknown }).toEqual({ status: 204, body: {} });
      await signIn(t.http, p.email, 'a brand new password');

      const again = await t.http
        .post('/auth/set-password')
        .send({ token, newPassword: 'another new password' });
      expect(again.status).toBe(410);
      expect((await t.http.get(`/set-password/${token}`)).status).toBe(410);
      await signIn(t.http, p.email, 'a brand new password');
      const audit = await t.db.query(
        `select action from audit_event where target_id = $1 order by id`,
        [p.id],
      );
      expect(audit.rows.map((r) => r.action)).toEqual([
        'person.sign_in_invited',
        'person.password_set_by_link',
      ]);
    });

    it('refuses an expired link, and a link of a person deactivated since', async () => {
      const p = await newPerson('expiring', { leads: org.subTeamId });
      let from = mailbox.mails.length;
      await t.http.post(`${base()}/${p.id}/sign-in-invitation`).set(as(admin)).expect(202);
      const expired = await linkFor(p.email, from);
      await t.db.query(
        `update sign_in_link set expires_at = now() - interval '1 second' where token_hash = $1`,
        [sha256(expired)],
      );
      const res = await t.http
        .post('/auth/set-password')
        .send({ token: expired, newPassword: 'a brand new password' });
      expect(res.status).toBe(410);

      from = mailbox.mails.length;
      await t.http.post(`${base()}/${p.id}/sign-in-invitation`).set(as(admin)).expect(202);
      const fresh = await linkFor(p.email, from);
      await t.http.post(`${base()}/${p.id}/deactivate`).set(as(admin)).expect(200);
      const dead = await t.http
        .post('/auth/set-password')
        .send({ token: fresh, newPassword: 'a brand new password' });
      expect(dead.status).toBe(410);
      const hash = await t.db.query(`select password_hash from person where id = $1`, [p.id]);
      expect(hash.rows[0].password_hash).toBeNull();
      // A deactivated person is not invited.
      const refused = await t.http.post(`${base()}/${p.id}/sign-in-invitation`).set(as(admin));
      expect(refused.status).toBe(409);
    });

    it('HR may invite people without a role, not an admin', async () => {
      const plain = await newPerson('plain-invitee', { leads: org.subTeamId });
      expect(
        (await t.http.post(`${base()}/${plain.id}/sign-in-invitation`).set(as(hr))).status,
      ).toBe(202);
      expect(
        (await t.http.post(`${base()}/${org.admin.id}/sign-in-invitation`).set(as(hr))).status,
      ).toBe(403);
      // Inviting everyone is for admins.
      expect((await t.http.post(`${base()}/sign-in-invitations`).set(as(hr))).status).toBe(403);
    });

    it('"invite everyone imported" reaches active people without a password who hold a role or lead a team, once', async () => {
      const org3 = await createOrg(t.app, 'people-bulk');
      const p3 = t.app.get(PeopleService);
      const mk = async (local: string) =>
        (await p3.create(org3.orgId, { email: `${local}@bulk.test`, name: local })).id;
      const newLeader = await mk('new-leader');
      await p3.addMembership(org3.otherTeamId, newLeader, 'leader');
      const newHr = await mk('new-hr');
      await p3.setRoles(newHr, ['hr']);
      const plainMember = await mk('plain-member');
      await p3.addMembership(org3.teamId, plainMember, 'member');
      const goneLeader = await mk('gone-leader');
      await p3.addMembership(org3.teamId, goneLeader, 'leader');
      const admin3 = await signIn(t.http, org3.admin.email);
      await t.http
        .post(`/organisations/${org3.orgId}/people/${goneLeader}/deactivate`)
        .set(as(admin3))
        .expect(200);

      const res = await t.http
        .post(`/organisations/${org3.orgId}/people/sign-in-invitations`)
        .set(as(admin3));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ invited: 2 });
      const linked = await t.db.query(
        `select person_id as id from sign_in_link where organisation_id = $1 order by person_id`,
        [org3.orgId],
      );
      expect(linked.rows.map((r) => r.id)).toEqual([newLeader, newHr].sort());
      await linkFor('new-leader@bulk.test');
      await linkFor('new-hr@bulk.test');
      const twice = await t.http
        .post(`/organisations/${org3.orgId}/people/sign-in-invitations`)
        .set(as(admin3));
      expect(twice.body).toEqual({ invited: 0 });
      expect(mailbox.mails.filter((m) => m.to === 'plain-member@bulk.test')).toEqual([]);
    });
  });

  describe('forgot password', () => {
    it('gives the same answer for a known and an unknown email, and mails only the known one', async () => {
      const from = mailbox.mails.length;
      const known = await t.http.post('/auth/forgot-password').send({ email: org.leader.email });
      const unknown = await t.http
        .post('/auth/forgot-password')
        .send({ email: 'nobody-here@people.test' });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      expect(unknown.headers['content-length']).toBe(known.headers['content-length']);

      const token = await linkFor(org.leader.email, from);
      const mail = mailbox.mails.slice(from).find((m) => m.to === org.leader.email)!;
      expect(mail.subject).toBe('Reset your Trellis password');
      const [link] = (
        await t.db.query(
          `select expires_at - created_at as life from sign_in_link where token_hash = $1`,
          [sha256(token)],
        )
      ).rows;
      expect(link.life).toMatchObject({ hours: 1 });
      await new Promise((r) => setTimeout(r, 500));
      expect(mailbox.mails.slice(from).filter((m) => m.to === 'nobody-here@people.test')).toEqual(
        [],
      );
    });

    it('takes about as long for an unknown email as for a known one', async () => {
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await t.http.post('/auth/forgot-password').send({ email }).expect(202);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const knownTimes: number[] = [];
      const unknownTimes: number[] = [];
      for (let i = 0; i < 9; i++) {
        knownTimes.push(await time(org.member.email));
        unknownTimes.push(await time(`nobody-${i}@people.test`));
      }
      expect(Math.abs(median(knownTimes) - median(unknownTimes))).toBeLessThan(25);
    });

    it('sends nothing to a deactivated person', async () => {
      const p = await newPerson('quiet', { leads: org.subTeamId });
      await t.http.post(`${base()}/${p.id}/deactivate`).set(as(admin)).expect(200);
      await t.http.post('/auth/forgot-password').send({ email: p.email }).expect(202);
      const links = await t.db.query(`select 1 from sign_in_link where person_id = $1`, [p.id]);
      expect(links.rowCount).toBe(0);
    });

    it('refuses a malformed email with a 400 naming the field', async () => {
      const res = await t.http.post('/auth/forgot-password').send({ email: 'not an email' });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('email');
    });
  });

  describe('password changes end other sessions', () => {
    it('a change of one’s own password ends the other sessions, and a reset ends them all', async () => {
      const p = await newPerson('changer', { leads: org.subTeamId });
      await t.http.put(`/people/${p.id}/password`).set(as(admin)).send({ password: PASSWORD });
      const first = await signIn(t.http, p.email);
      const second = await signIn(t.http, p.email);
      const change = await t.http
        .put('/auth/password')
        .set(as(first))
        .send({ currentPassword: PASSWORD, newPassword: 'the changed password' });
      expect(change.status).toBe(204);
      expect((await t.http.get('/auth/me').set(as(first))).status).toBe(200);
      expect((await t.http.get('/auth/me').set(as(second))).status).toBe(401);

      const from = mailbox.mails.length;
      await t.http.post('/auth/forgot-password').send({ email: p.email }).expect(202);
      const token = await linkFor(p.email, from);
      await t.http
        .post('/auth/set-password')
        .send({ token, newPassword: 'the reset password' })
        .expect(204);
      expect((await t.http.get('/auth/me').set(as(first))).status).toBe(401);
      await signIn(t.http, p.email, 'the reset password');
    });
  });

  it('services refuse another organisation’s person too (not only the routes)', async () => {
    const tokens = t.app.get(ApiTokensService);
    expect(tokens).toBeDefined();
    const viewer = principalOf(org, 'admin');
    const { PeopleDirectory } = await import('../apps/api/src/people/people-directory.service');
    await expect(
      t.app.get(PeopleDirectory).detail(org.orgId, other.member.id, viewer),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});
