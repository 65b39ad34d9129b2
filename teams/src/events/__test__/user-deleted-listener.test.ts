import { randomUUID } from 'node:crypto';
import {
  ACCOUNT_DELETED,
  buildEvent,
  EVENT_STREAM,
  NotAuthorizedError,
  type EventData,
  type EventEnvelope,
} from '@taskforge/common';
import { consumerSettled, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { findUserById, sessionVersionOf, tombstoneUser } from '../../replicas/user';
import { createTeam as createTeamFor } from '../../services/team-writes';
import { publish, userData } from '../../test/events';
import {
  addMember,
  createTeam,
  memberEvents,
  rowsOf,
  signIn,
  type TestUser,
} from '../../test/factories';
import { expectDocumented } from '../../test/openapi';
import { setupTeamsTest, type TeamsTestContext } from '../../test/setup';
import { AUDIT_DURABLE, DIRECTORY_DURABLE } from '../listeners';

let ctx: TeamsTestContext;

beforeAll(async () => {
  ctx = await setupTeamsTest();
});
beforeEach(async () => {
  await ctx.reset();
  await ctx.startConsumers();
});
afterEach(() => ctx.stopConsumers());
afterAll(() => ctx.close());

type KnownUser = TestUser & { data: EventData<'user.created'> };

/** A signed-in user whose user.created went through the stream to the directory. */
async function knownUser(): Promise<KnownUser> {
  const user = signIn();
  const data = userData({ id: user.id, email: user.email, firstName: 'Ada', lastName: 'Byron' });
  await publish(ctx.bus, buildEvent('user.created', data, { actorId: user.id }));
  await waitFor(() => findUserById(ctx.pool, user.id));
  return { ...user, data };
}

/** What auth records when the user deletes their account at `version`. */
const deletion = (user: TestUser, version = 1) =>
  buildEvent('user.deleted', { id: user.id, version }, { actorId: user.id });

const directoryRow = async (userId: string) =>
  (
    await rowsOf(
      ctx.pool,
      `SELECT email, first_name, last_name, avatar_url, version, deleted_at IS NOT NULL AS deleted
         FROM users WHERE id = $1`,
      [userId],
    )
  )[0];

const membershipOf = async (teamId: string, userId: string) =>
  (
    await rowsOf(
      ctx.pool,
      `SELECT role, version, removed_at IS NOT NULL AS removed
         FROM team_memberships WHERE team_id = $1 AND user_id = $2`,
      [teamId, userId],
    )
  )[0];

const activeTeamsOf = async (userId: string) =>
  rowsOf(
    ctx.pool,
    'SELECT team_id FROM team_memberships WHERE user_id = $1 AND removed_at IS NULL',
    [userId],
  );

/** Waits until the directory holds the tombstone and the user is in no team any more. */
async function deletionApplied(userId: string): Promise<void> {
  await waitFor(
    async () =>
      (await sessionVersionOf(ctx.pool, userId)) === ACCOUNT_DELETED &&
      (await activeTeamsOf(userId)).length === 0,
  );
}

/** The member.* and team.* events this service recorded, in the order it recorded them. */
const outboxEvents = async () =>
  (
    await rowsOf<{ event: EventEnvelope }>(
      ctx.pool,
      `SELECT event FROM outbox WHERE subject LIKE 'member.%' OR subject LIKE 'team.%' ORDER BY seq`,
    )
  ).map((row) => row.event);

const auditRowsOf = (subject: string, teamId: string) =>
  rowsOf(
    ctx.pool,
    `SELECT entity_id, actor_id, previous_state, new_state FROM audit_logs
      WHERE subject = $1 AND team_id = $2 ORDER BY id`,
    [subject, teamId],
  );

const patchRole = (teamId: string, by: TestUser, target: TestUser, role: string) =>
  request(ctx.app)
    .patch(`/api/teams/${teamId}/members/${target.id}`)
    .set('Cookie', by.cookie)
    .send({ role })
    .expect(200);

describe('user.deleted on the directory durable', () => {
  it('leaves a tombstone and ends every membership, each with member.removed at its next version', async () => {
    const [owner, alice] = await Promise.all([knownUser(), knownUser()]);
    const first = await createTeam(ctx.app, owner);
    await request(ctx.app)
      .post(`/api/teams/${first.id}/members`)
      .set('Cookie', owner.cookie)
      .send({ email: alice.email })
      .expect(201);
    const second = await createTeam(ctx.app, owner);
    await addMember(ctx.app, second.id, owner, alice, 'guest');
    await patchRole(second.id, owner, alice, 'member');
    await publish(
      ctx.bus,
      buildEvent('user.updated', { ...alice.data, version: 1, firstName: 'Augusta' }),
    );
    await waitFor(async () => (await findUserById(ctx.pool, alice.id))?.version === 1);

    await publish(ctx.bus, deletion(alice, 2));
    await deletionApplied(alice.id);

    expect(await directoryRow(alice.id)).toEqual({
      email: null,
      first_name: null,
      last_name: null,
      avatar_url: null,
      version: 2,
      deleted: true,
    });
    expect(await findUserById(ctx.pool, alice.id)).toBeUndefined();
    expect(await membershipOf(first.id, alice.id)).toEqual({
      role: 'member',
      version: 1,
      removed: true,
    });
    expect(await membershipOf(second.id, alice.id)).toEqual({
      role: 'member',
      version: 2,
      removed: true,
    });
    expect(await membershipOf(first.id, owner.id)).toMatchObject({ role: 'admin', removed: false });

    const [, removedFirst] = await memberEvents(ctx.natsUrl, first.id, alice.id, 2);
    expect(removedFirst).toMatchObject({
      subject: 'member.removed',
      data: { teamId: first.id, userId: alice.id, role: 'member', version: 1 },
      metadata: { actorId: alice.id },
    });
    const [, , removedSecond] = await memberEvents(ctx.natsUrl, second.id, alice.id, 3);
    expect(removedSecond).toMatchObject({
      subject: 'member.removed',
      data: { teamId: second.id, userId: alice.id, role: 'member', version: 2 },
      metadata: { actorId: alice.id },
    });
    // The audit log records them as it records any removal.
    for (const team of [first, second]) {
      const [entry] = await waitFor(async () => {
        const rows = await auditRowsOf('member.removed', team.id);
        return rows.length > 0 ? rows : undefined;
      });
      expect(entry).toMatchObject({ entity_id: alice.id, actor_id: alice.id, new_state: null });
    }
  });

  it('makes the longest-standing member admin before removing a user who was still the last admin', async () => {
    // Auth's view of the teams lagged: it let the last admin of `team` delete their account.
    const [alice, carol, dave, owner] = await Promise.all([
      knownUser(),
      knownUser(),
      knownUser(),
      knownUser(),
    ]);
    const team = await createTeam(ctx.app, alice);
    await addMember(ctx.app, team.id, alice, dave, 'guest');
    await addMember(ctx.app, team.id, alice, carol, 'member');
    // Carol has been in the team longest (a day before Dave), whatever their ids.
    await ctx.pool.query(
      `UPDATE team_memberships SET joined_at = now() - interval '1 day'
        WHERE team_id = $1 AND user_id = $2`,
      [team.id, carol.id],
    );
    // In a team that keeps another admin, the user just leaves.
    const shared = await createTeam(ctx.app, owner);
    await addMember(ctx.app, shared.id, owner, alice, 'admin');

    await publish(ctx.bus, deletion(alice));
    await deletionApplied(alice.id);

    expect(await membershipOf(team.id, carol.id)).toEqual({
      role: 'admin',
      version: 1,
      removed: false,
    });
    expect(await membershipOf(team.id, dave.id)).toEqual({
      role: 'guest',
      version: 0,
      removed: false,
    });
    expect(await membershipOf(team.id, alice.id)).toEqual({
      role: 'admin',
      version: 1,
      removed: true,
    });
    expect(await membershipOf(shared.id, owner.id)).toMatchObject({ role: 'admin', version: 0 });
    // Teams are done one after the other, in no particular order; within the team the
    // promotion comes first.
    const recordedIn = async (teamId: string) =>
      (await outboxEvents())
        .filter((event) => (event.data as { teamId?: string }).teamId === teamId)
        .filter((event) => event.subject !== 'member.added')
        .map((event) => [event.subject, event.data, event.metadata]);
    expect(await recordedIn(team.id)).toEqual([
      [
        'member.updated',
        {
          teamId: team.id,
          userId: carol.id,
          role: 'admin',
          version: 1,
          previousRole: 'member',
          previous: { role: 'member' },
        },
        { actorId: alice.id },
      ],
      [
        'member.removed',
        { teamId: team.id, userId: alice.id, role: 'admin', version: 1 },
        { actorId: alice.id },
      ],
    ]);
    expect(await recordedIn(shared.id)).toEqual([
      [
        'member.removed',
        { teamId: shared.id, userId: alice.id, role: 'admin', version: 1 },
        { actorId: alice.id },
      ],
    ]);
    const [, promoted] = await memberEvents(ctx.natsUrl, team.id, carol.id, 2);
    expect(promoted).toMatchObject({ subject: 'member.updated', data: { role: 'admin' } });
    const [entry] = await waitFor(async () => {
      const rows = await auditRowsOf('member.updated', team.id);
      return rows.length > 0 ? rows : undefined;
    });
    expect(entry).toMatchObject({
      entity_id: carol.id,
      actor_id: alice.id,
      previous_state: { role: 'member' },
      new_state: { role: 'admin' },
    });
  });

  it('deletes a team the user was the only member of, with team.deleted', async () => {
    const alice = await knownUser();
    const team = await createTeam(ctx.app, alice, { name: 'Solo' });

    await publish(ctx.bus, deletion(alice));
    await deletionApplied(alice.id);

    expect(await rowsOf(ctx.pool, 'SELECT id FROM teams WHERE id = $1', [team.id])).toEqual([]);
    const [deleted] = await ctx.eventsFor('team.deleted', team.id);
    expect(deleted).toMatchObject({
      data: { id: team.id, version: 1, name: 'Solo', createdBy: alice.id },
      metadata: { actorId: alice.id },
    });
    // team.deleted says it all: no member.removed of its own.
    expect((await outboxEvents()).map((event) => event.subject)).toEqual([
      'team.created',
      'member.added',
      'team.deleted',
    ]);
    await waitFor(async () => (await auditRowsOf('team.deleted', team.id)).length === 1);
  });

  it('finishes the work of a delivery that crashed after the tombstone, and applies nothing twice', async () => {
    const [owner, alice] = await Promise.all([knownUser(), knownUser()]);
    const first = await createTeam(ctx.app, owner);
    const second = await createTeam(ctx.app, owner);
    await addMember(ctx.app, first.id, owner, alice);
    await addMember(ctx.app, second.id, owner, alice);
    const event = deletion(alice);
    // The first delivery committed the tombstone, then the process died.
    expect(await tombstoneUser(ctx.pool, event.data)).toBe('apply');

    await publish(ctx.bus, event);
    await deletionApplied(alice.id);
    // Redelivered twice more (lost acks), past JetStream's duplicate window.
    for (let i = 0; i < 2; i += 1) {
      await ctx.bus.js.publish(event.subject, JSON.stringify(event), { msgID: randomUUID() });
    }
    await consumerSettled(ctx.bus.jsm, DIRECTORY_DURABLE);
    await consumerSettled(ctx.bus.jsm, AUDIT_DURABLE);

    const removals = (await outboxEvents()).filter((e) => e.subject === 'member.removed');
    expect(removals.map((e) => e.data)).toEqual(
      expect.arrayContaining([
        { teamId: first.id, userId: alice.id, role: 'member', version: 1 },
        { teamId: second.id, userId: alice.id, role: 'member', version: 1 },
      ]),
    );
    expect(removals).toHaveLength(2);
    expect(await membershipOf(first.id, alice.id)).toMatchObject({ version: 1, removed: true });
    expect(await directoryRow(alice.id)).toMatchObject({ version: 1, deleted: true });
    expect(
      await rowsOf(ctx.pool, "SELECT event_id FROM audit_logs WHERE subject = 'user.deleted'"),
    ).toEqual([{ event_id: event.id }]);
  });

  it('ignores a late user.created or user.updated for the tombstone, and lets the address sign up again', async () => {
    const alice = await knownUser();
    await publish(ctx.bus, deletion(alice));
    await deletionApplied(alice.id);

    const stale = { ...alice.data, email: 'back@example.test', firstName: 'Revenant' };
    await publish(
      ctx.bus,
      buildEvent('user.created', stale),
      buildEvent('user.updated', { ...stale, version: 1 }),
      // Auth never updates a deleted account; if it did, the tombstone would still take nothing.
      buildEvent('user.updated', { ...stale, version: 2 }),
    );
    await consumerSettled(ctx.bus.jsm, DIRECTORY_DURABLE);
    expect(await directoryRow(alice.id)).toEqual({
      email: null,
      first_name: null,
      last_name: null,
      avatar_url: null,
      version: 1,
      deleted: true,
    });
    expect(await sessionVersionOf(ctx.pool, alice.id)).toBe(ACCOUNT_DELETED);

    // The same address, a new account: the tombstone holds no email to collide with.
    const again = userData({ email: alice.email });
    await publish(ctx.bus, buildEvent('user.created', again));
    await waitFor(() => findUserById(ctx.pool, again.id));
    expect(
      await rowsOf(ctx.pool, 'SELECT id FROM users WHERE lower(email) = lower($1)', [alice.email]),
    ).toEqual([{ id: again.id }]);
  });

  it('waits for the user’s last update when user.deleted comes first', async () => {
    const alice = await knownUser();
    await publish(ctx.bus, deletion(alice, 2));
    await waitFor(async () => {
      const info = await ctx.bus.jsm.consumers.info(EVENT_STREAM, DIRECTORY_DURABLE);
      return info.num_redelivered > 0;
    });
    expect(await directoryRow(alice.id)).toMatchObject({ version: 0, deleted: false });

    await publish(ctx.bus, buildEvent('user.updated', { ...alice.data, version: 1 }));
    await deletionApplied(alice.id);
    expect(await directoryRow(alice.id)).toMatchObject({ email: null, version: 2, deleted: true });
  });

  it('refuses a team created by the account once the tombstone is there', async () => {
    // A session the deleted account still had, checked against a cached session version.
    const alice = await knownUser();
    await publish(ctx.bus, deletion(alice));
    await deletionApplied(alice.id);
    await expect(
      createTeamFor(
        { pool: ctx.pool, eventsRecorded: () => undefined },
        { name: 'Too late' },
        alice.id,
        { actorId: alice.id },
      ),
    ).rejects.toThrow(NotAuthorizedError);
    expect(await rowsOf(ctx.pool, 'SELECT id FROM teams')).toEqual([]);
  });
});

describe('a deleted account through HTTP', () => {
  it('refuses its old cookie (401), leaves the member list, and cannot be added back by email or id', async () => {
    const [owner, alice] = await Promise.all([knownUser(), knownUser()]);
    const team = await createTeam(ctx.app, owner);
    await addMember(ctx.app, team.id, owner, alice);
    await request(ctx.app).get(`/api/teams/${team.id}`).set('Cookie', alice.cookie).expect(200);

    await publish(ctx.bus, deletion(alice));
    await deletionApplied(alice.id);

    // The app remembers a session version for a second: within that, the cookie stops working.
    const refused = await waitFor(
      async () => {
        const res = await request(ctx.app).get('/api/teams').set('Cookie', alice.cookie);
        return res.status === 401 ? res : undefined;
      },
      { timeoutMs: 5000 },
    );
    expectDocumented('get', '/api/teams', refused);
    await request(ctx.app)
      .post('/api/teams')
      .set('Cookie', alice.cookie)
      .send({ name: 'Ghost' })
      .expect(401);

    const members = await request(ctx.app)
      .get(`/api/teams/${team.id}/members`)
      .set('Cookie', owner.cookie)
      .expect(200);
    expect(members.body.map((member: { userId: string }) => member.userId)).toEqual([owner.id]);

    const add = (body: object) =>
      request(ctx.app).post(`/api/teams/${team.id}/members`).set('Cookie', owner.cookie).send(body);
    const byEmail = await add({ email: alice.email });
    const unknownEmail = await add({ email: 'nobody@example.test' });
    expect(byEmail.status).toBe(404);
    expectDocumented('post', '/api/teams/{id}/members', byEmail);
    expect(byEmail.body).toEqual(unknownEmail.body);
    expect(byEmail.body).toEqual({
      errors: [{ message: 'No user with that email', field: 'email' }],
    });
    const byId = await add({ userId: alice.id });
    const unknownId = await add({ userId: signIn().id });
    expect(byId.status).toBe(404);
    expect(byId.body).toEqual(unknownId.body);
    expect(await membershipOf(team.id, alice.id)).toMatchObject({ removed: true, version: 1 });
  });
});
