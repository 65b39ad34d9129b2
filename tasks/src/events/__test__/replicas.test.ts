import { EVENT_STREAM, SESSION_VERSION_TTL_MS } from '@taskforge/common';
import { signinCookie, waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { Activity } from '../../models/activity';
import { Membership, membershipId } from '../../replicas/membership';
import { Team } from '../../replicas/team';
import { Ticket } from '../../replicas/ticket';
import { User } from '../../replicas/user';
import { DEFAULT_PERMISSIONS, newId, signIn, type SignedInUser } from '../../test/factories';
import { consumerPerFile } from '../../test/consumer';

/*
 * The replicas through the real stream: events published as the teams, auth and tickets
 * services would, consumed by this service's listeners on the durable consumer.
 */
const given = consumerPerFile();
const { publish, settled } = given;

const membership = (teamId: string, userId: string) =>
  Membership.findById(membershipId(teamId, userId)).lean();

async function newTeam(): Promise<string> {
  const teamId = newId();
  await publish('team.created', {
    id: teamId,
    version: 0,
    name: 'Replicated',
    createdBy: 'someone',
    permissions: DEFAULT_PERMISSIONS,
  });
  await waitFor(() => Team.findById(teamId).lean());
  return teamId;
}

const createTaskAs = (user: SignedInUser, teamId: string) =>
  request(given.app)
    .post('/api/tasks')
    .set('Cookie', user.cookie)
    .send({ teamId, title: 'Replica check' });

const userEvent = (id: string, version: number, sessionVersion?: number) => ({
  id,
  version,
  email: `${id}@example.test`,
  firstName: 'Session',
  lastName: 'Tester',
  preferences: {
    theme: 'system' as const,
    notifications: { email: true, push: true, frequency: 'immediate' as const },
  },
  ...(sessionVersion === undefined ? {} : { sessionVersion }),
});

describe('team and membership replicas', () => {
  it('lets a member added through the stream work, and a removed member lose access', async () => {
    const teamId = await newTeam();
    const user = signIn();
    await publish('member.added', { teamId, userId: user.id, role: 'member', version: 0 });
    await waitFor(() => membership(teamId, user.id));

    const created = await createTaskAs(user, teamId).expect(201);
    const taskId = created.body.id as string;
    await request(given.app).get(`/api/tasks/${taskId}`).set('Cookie', user.cookie).expect(200);

    await publish('member.removed', { teamId, userId: user.id, role: 'member', version: 1 });
    await waitFor(async () => (await membership(teamId, user.id))?.active === false);
    await request(given.app).get(`/api/tasks/${taskId}`).set('Cookie', user.cookie).expect(404);
    await createTaskAs(user, teamId).expect(404);
  });

  it('holds a future version back until the missing one arrives, then applies both in order', async () => {
    const teamId = await newTeam();
    const user = signIn();
    await publish('member.added', { teamId, userId: user.id, role: 'member', version: 0 });
    await waitFor(() => membership(teamId, user.id));

    // Version 2 (removed) arrives before version 1 (made a guest).
    await publish('member.removed', { teamId, userId: user.id, role: 'guest', version: 2 });
    await waitFor(async () => {
      const info = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);
      return info.num_redelivered > 0;
    });
    expect(await membership(teamId, user.id)).toMatchObject({
      role: 'member',
      active: true,
      version: 0,
    });
    await createTaskAs(user, teamId).expect(201);

    await publish('member.updated', {
      teamId,
      userId: user.id,
      role: 'guest',
      previousRole: 'member',
      version: 1,
    });
    await waitFor(async () => (await membership(teamId, user.id))?.version === 2);
    await settled();
    expect(await membership(teamId, user.id)).toMatchObject({
      role: 'guest',
      active: false,
      version: 2,
    });
    await createTaskAs(user, teamId).expect(404);
  });

  it('acknowledges and ignores duplicates', async () => {
    const teamId = await newTeam();
    const user = signIn();
    const added = { teamId, userId: user.id, role: 'member' as const, version: 0 };
    await publish('member.added', added);
    await publish('member.updated', { ...added, role: 'admin', version: 1 });
    await waitFor(async () => (await membership(teamId, user.id))?.version === 1);

    // The same versions again (a redelivery or a second publish with a new event id).
    await publish('member.added', added);
    await publish('member.updated', { ...added, role: 'guest', version: 1 });
    await settled();
    expect(await membership(teamId, user.id)).toMatchObject({
      role: 'admin',
      active: true,
      version: 1,
    });
  });

  it('restores access on a re-add, which continues the version count', async () => {
    const teamId = await newTeam();
    const user = signIn();
    await publish('member.added', { teamId, userId: user.id, role: 'member', version: 0 });
    await publish('member.removed', { teamId, userId: user.id, role: 'member', version: 1 });
    await publish('member.added', { teamId, userId: user.id, role: 'guest', version: 2 });
    await waitFor(async () => (await membership(teamId, user.id))?.version === 2);
    expect(await membership(teamId, user.id)).toMatchObject({ role: 'guest', active: true });
    // A guest reads but cannot create.
    await createTaskAs(user, teamId).expect(403);
  });

  it('follows permission changes, and revokes every membership when the team is deleted', async () => {
    const teamId = await newTeam();
    const [admin, member] = [signIn(), signIn()];
    await publish('member.added', { teamId, userId: admin.id, role: 'admin', version: 0 });
    await publish('member.added', { teamId, userId: member.id, role: 'member', version: 0 });
    await waitFor(() => membership(teamId, member.id));
    const task = await createTaskAs(member, teamId).expect(201);

    await publish('team.updated', {
      id: teamId,
      version: 1,
      name: 'Renamed',
      createdBy: 'someone',
      permissions: { ...DEFAULT_PERMISSIONS, member: ['comment.create'] },
    });
    await waitFor(async () => (await Team.findById(teamId).lean())?.version === 1);
    await createTaskAs(member, teamId).expect(403);

    await publish('team.deleted', { id: teamId, version: 2, name: 'Renamed' });
    await waitFor(async () => (await Team.findById(teamId).lean())?.deleted === true);
    await waitFor(async () => (await Membership.countDocuments({ teamId, active: true })) === 0);
    for (const user of [admin, member]) {
      await request(given.app)
        .get(`/api/tasks/${task.body.id}`)
        .set('Cookie', user.cookie)
        .expect(404);
    }
  });

  it('keeps a membership inactive when its member.added is delivered after the team was deleted', async () => {
    const teamId = await newTeam();
    const late = signIn();
    await publish('team.deleted', { id: teamId, version: 1, name: 'Gone' });
    await waitFor(async () => (await Team.findById(teamId).lean())?.deleted === true);

    await publish('member.added', { teamId, userId: late.id, role: 'member', version: 0 });
    await settled();

    expect(await membership(teamId, late.id)).toMatchObject({ version: 0, active: false });
  });
});

describe('user and ticket replicas', () => {
  it('keeps display names, version-gated', async () => {
    const id = newId();
    const user = {
      id,
      email: 'ada@example.test',
      preferences: {
        theme: 'system' as const,
        notifications: { email: true, push: false, frequency: 'daily' as const },
      },
    };
    await publish('user.updated', { ...user, version: 1, firstName: 'Ada', lastName: 'Lovelace' });
    await publish('user.created', { ...user, version: 0 });
    await waitFor(async () => (await User.findById(id).lean())?.version === 1);
    expect(await User.findById(id).lean()).toMatchObject({ displayName: 'Ada Lovelace' });
    const fresh = newId();
    await publish('user.created', { ...user, id: fresh, version: 0 });
    await waitFor(() => User.findById(fresh).lean());
    expect((await User.findById(fresh).lean())?.displayName).toBe('ada@example.test');
  });

  it('refuses a session the user ended elsewhere once user.updated says so, and takes the new one', async () => {
    const teamId = await newTeam();
    const id = newId();
    const ended = signinCookie({ id, email: `${id}@example.test` }, { sessionVersion: 0 });
    const renewed = signinCookie({ id, email: `${id}@example.test` }, { sessionVersion: 1 });
    const tasksOf = (cookie: string) =>
      request(given.app).get(`/api/tasks?teamId=${teamId}`).set('Cookie', cookie);
    await publish('user.created', userEvent(id, 0));
    await publish('member.added', { teamId, userId: id, role: 'member', version: 0 });
    await waitFor(async () => (await User.findById(id).lean()) && (await membership(teamId, id)));
    expect((await tasksOf(ended.cookie)).status).toBe(200);

    await publish('user.updated', userEvent(id, 1, 1));
    await waitFor(async () => (await User.findById(id).lean())?.sessionVersion === 1);
    // Within the second this process trusts a session version it read.
    const applied = Date.now();
    await waitFor(async () => (await tasksOf(ended.cookie)).status === 401, { timeoutMs: 5000 });
    expect(Date.now() - applied).toBeLessThan(SESSION_VERSION_TTL_MS + 1000);
    expect((await tasksOf(renewed.cookie)).status).toBe(200);
  });

  it('replicates tickets by version, as the reference app does', async () => {
    const id = newId();
    const ticket = { id, title: 'Gig', price: 10, userId: 'seller' };
    await publish('ticket.created', { ...ticket, version: 0 });
    await publish('ticket.updated', { ...ticket, title: 'Big gig', version: 1 });
    await publish('ticket.deleted', { ...ticket, title: 'Big gig', version: 2 });
    await waitFor(async () => (await Ticket.findById(id).lean())?.version === 2);
    expect(await Ticket.findById(id).lean()).toMatchObject({ title: 'Big gig', deleted: true });
  });

  it('brings many tickets to their last version when their events arrive interleaved and out of order', async () => {
    const ids = Array.from({ length: 8 }, () => newId());
    const events = ids.flatMap((id, n) =>
      [0, 1, 2, 3].map((version) => ({ id, title: `Seat ${n} v${version}`, version })),
    );
    // Newest first for every ticket, the tickets interleaved, some events twice.
    events.sort((a, b) => b.version - a.version || a.id.localeCompare(b.id));
    for (const [i, e] of events.entries()) {
      const data = { id: e.id, title: e.title, price: 10 + e.version, userId: 'seller' };
      const subject = e.version === 0 ? 'ticket.created' : 'ticket.updated';
      await publish(subject, { ...data, version: e.version });
      if (i % 5 === 0) await publish(subject, { ...data, version: e.version });
    }
    await settled();
    const stored = await Ticket.find({ _id: { $in: ids } }).lean();
    expect(stored).toHaveLength(ids.length);
    for (const [n, id] of ids.entries()) {
      expect(stored.find((t) => String(t._id) === id)).toMatchObject({
        title: `Seat ${n} v3`,
        price: 13,
        version: 3,
        deleted: false,
      });
    }
  });
});

describe("this service's own events", () => {
  it('write the activity a failed write left out, once, when they arrive', async () => {
    const teamId = await newTeam();
    const user = signIn();
    await publish('member.added', { teamId, userId: user.id, role: 'member', version: 0 });
    await waitFor(() => membership(teamId, user.id));
    const created = await createTaskAs(user, teamId).expect(201);
    // As if the route's own activity write had failed after the task was saved.
    await Activity.deleteMany({ taskId: created.body.id });

    await given.ctx.newRelay().flush();
    await waitFor(() => Activity.findOne({ taskId: created.body.id }).lean());
    await settled();
    expect(await Activity.find({ taskId: created.body.id }).lean()).toEqual([
      expect.objectContaining({ type: 'task.created', actorId: user.id, taskVersion: 0 }),
    ]);
  });

  it('acknowledge at the first delivery the events whose activity the write already recorded', async () => {
    const teamId = await newTeam();
    const user = signIn();
    await publish('member.added', { teamId, userId: user.id, role: 'member', version: 0 });
    await waitFor(() => membership(teamId, user.id));
    await settled();
    const before = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);

    const created = await createTaskAs(user, teamId).expect(201);
    await given.ctx.newRelay().flush();
    await waitFor(async () => {
      const info = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);
      return info.delivered.stream_seq > before.delivered.stream_seq;
    });
    await settled();

    const after = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);
    // One delivery per new message: a duplicate activity is not a failure to retry.
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(
      after.delivered.stream_seq - before.delivered.stream_seq,
    );
    expect(await Activity.countDocuments({ taskId: created.body.id })).toBe(1);
  });
});
