import { EVENT_STREAM } from '@taskforge/common';
import { waitFor } from '@taskforge/common/testing';
import request from 'supertest';
import { Comment } from '../../models/comment';
import { Membership, membershipId } from '../../replicas/membership';
import { Task } from '../../models/task';
import { Team } from '../../replicas/team';
import { User } from '../../replicas/user';
import { DEFAULT_PERMISSIONS, newId, signIn, type SignedInUser } from '../../test/factories';
import { expectDocumented } from '../../test/openapi';
import { consumerPerFile } from '../../test/consumer';

/*
 * Account deletion through the real stream: `user.deleted` as auth publishes it, consumed by
 * this service's listeners on the durable consumer, then what the routes answer.
 */
const given = consumerPerFile();
const { publish, settled } = given;

const replica = (id: string) => User.findById(id).lean();

const profile = (id: string, version: number, firstName = 'Ada', lastName = 'Lovelace') => ({
  id,
  version,
  email: `${id}@example.test`,
  firstName,
  lastName,
  preferences: {
    theme: 'system' as const,
    notifications: { email: true, push: true, frequency: 'immediate' as const },
  },
});

/** A user as auth makes them: created, then named (version 1). */
async function newUser(): Promise<SignedInUser> {
  const user = signIn();
  await publish('user.created', profile(user.id, 0, '', ''));
  await publish('user.updated', profile(user.id, 1));
  await waitFor(async () => (await replica(user.id))?.version === 1);
  return user;
}

async function newTeam(members: SignedInUser[]): Promise<string> {
  const teamId = newId();
  await publish('team.created', {
    id: teamId,
    version: 0,
    name: 'Doomed account',
    createdBy: members[0]!.id,
    permissions: DEFAULT_PERMISSIONS,
  });
  for (const [i, user] of members.entries()) {
    await publish('member.added', {
      teamId,
      userId: user.id,
      role: i === 0 ? 'admin' : 'member',
      version: 0,
    });
  }
  await waitFor(async () => {
    const ids = members.map((user) => membershipId(teamId, user.id));
    return (
      (await Team.exists({ _id: teamId })) &&
      (await Membership.countDocuments({ _id: { $in: ids } })) === members.length
    );
  });
  return teamId;
}

const deleted = async (id: string) => (await replica(id))?.deleted === true;

describe('user.deleted', () => {
  it('leaves a tombstone without the name, which a late user.updated or user.created cannot revive', async () => {
    const user = await newUser();
    expect(await replica(user.id)).toMatchObject({ displayName: 'Ada Lovelace', deleted: false });

    await publish('user.deleted', { id: user.id, version: 2 });
    await waitFor(() => deleted(user.id));
    // Late, and a redelivery of each: the version rule takes them all for duplicates.
    await publish('user.updated', profile(user.id, 1, 'Ada', 'Revived'));
    await publish('user.created', profile(user.id, 0, 'Ada', 'Revived'));
    await publish('user.deleted', { id: user.id, version: 2 });
    await settled();

    const stored = await replica(user.id);
    expect(stored).toMatchObject({ deleted: true, displayName: null, version: 2 });
    expect(JSON.stringify(stored)).not.toMatch(/Ada|Lovelace|Revived|example\.test/);
  });

  it('waits for the user.updated it follows, then applies both in order', async () => {
    const user = signIn();
    await publish('user.created', profile(user.id, 0));
    await waitFor(() => replica(user.id));
    const before = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);

    await publish('user.deleted', { id: user.id, version: 2 });
    await waitFor(async () => {
      const info = await given.ctx.bus.jsm.consumers.info(EVENT_STREAM, given.durable);
      return info.num_redelivered > before.num_redelivered;
    });
    expect(await replica(user.id)).toMatchObject({ deleted: false, version: 0 });

    await publish('user.updated', profile(user.id, 1, 'Grace', 'Hopper'));
    await waitFor(() => deleted(user.id));
    await settled();
    expect(await replica(user.id)).toMatchObject({ deleted: true, displayName: null, version: 2 });
  });

  it("refuses the deleted user's old session cookie with 401", async () => {
    const user = await newUser();
    const teamId = await newTeam([user]);
    const tasksOf = () =>
      request(given.app).get(`/api/tasks?teamId=${teamId}`).set('Cookie', user.cookie);
    expect((await tasksOf()).status).toBe(200);

    await publish('user.deleted', { id: user.id, version: 2 });
    await waitFor(() => deleted(user.id));
    // Within the second this process trusts a session version it read.
    await waitFor(async () => (await tasksOf()).status === 401, { timeoutMs: 5000 });
  });

  describe("the deleted user's work", () => {
    let admin: SignedInUser;
    let doomed: SignedInUser;
    let teamId: string;
    let taskId: string;

    const as = (user: SignedInUser) => ({
      get: (path: string) => request(given.app).get(path).set('Cookie', user.cookie),
      post: (path: string, body: object) =>
        request(given.app).post(path).set('Cookie', user.cookie).send(body),
      patch: (path: string, body: object) =>
        request(given.app).patch(path).set('Cookie', user.cookie).send(body),
    });

    beforeAll(async () => {
      admin = await newUser();
      doomed = await newUser();
      teamId = await newTeam([admin, doomed]);
      const created = await as(doomed)
        .post('/api/tasks', { teamId, title: 'Left behind', assigneeId: doomed.id })
        .expect(201);
      taskId = created.body.id as string;
      await as(doomed)
        .post(`/api/tasks/${taskId}/comments`, { content: 'My last word' })
        .expect(201);
      await as(admin)
        .post(`/api/tasks/${taskId}/comments`, {
          content: `Thanks @[Ada Lovelace](${doomed.id}), over to @[Me](${admin.id})`,
        })
        .expect(201);
      const file = Buffer.from('%PDF-1.4 notes\n');
      const started = await as(doomed)
        .post(`/api/tasks/${taskId}/attachments`, {
          name: 'notes.pdf',
          size: file.length,
          mimetype: 'application/pdf',
        })
        .expect(201);
      const put = await fetch(started.body.uploadUrl as string, {
        method: 'PUT',
        body: file,
        headers: { 'Content-Type': 'application/pdf' },
      });
      expect(put.status).toBe(200);
      await as(doomed)
        .post(`/api/tasks/${taskId}/attachments/${started.body.uploadId}/confirm`, {})
        .expect(201);

      await publish('user.deleted', { id: doomed.id, version: 2 });
      await waitFor(() => deleted(doomed.id));
      await waitFor(async () => (await as(doomed).get(`/api/tasks/${taskId}`)).status === 401, {
        timeoutMs: 5000,
      });
    });

    it('keeps their id on the task they created and were assigned, and no name anywhere', async () => {
      const res = await as(admin).get(`/api/tasks/${taskId}`).expect(200);
      expect(res.body).toMatchObject({ creatorId: doomed.id, assigneeId: doomed.id });
      expect(res.body.attachments).toEqual([
        expect.objectContaining({ name: 'notes.pdf', uploadedBy: doomed.id }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/Ada|Lovelace/);
      const activity = await as(admin).get(`/api/tasks/${taskId}/activity`).expect(200);
      expect(activity.body.map((entry: { actorId: string }) => entry.actorId)).toContain(doomed.id);
      expect(JSON.stringify(activity.body)).not.toMatch(/Ada|Lovelace/);
    });

    it('keeps their comments under their id and shows mentions of them as an unknown user', async () => {
      const res = await as(admin).get(`/api/tasks/${taskId}/comments`).expect(200);
      expectDocumented('get', '/api/tasks/{id}/comments', res);
      expect(res.body).toEqual([
        expect.objectContaining({ authorId: doomed.id, content: 'My last word' }),
        expect.objectContaining({
          authorId: admin.id,
          content: `Thanks @[Unknown user](${doomed.id}), over to @[Me](${admin.id})`,
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/Lovelace/);
      // Stored as written: the label is hidden when read, not rewritten.
      expect(await Comment.countDocuments({ taskId, content: /Lovelace/ })).toBe(1);
    });

    it('resolves no new mention to them and refuses them as an assignee, before teams removes them', async () => {
      expect(await Membership.findById(membershipId(teamId, doomed.id)).lean()).toMatchObject({
        active: true,
      });
      const comment = await as(admin)
        .post(`/api/tasks/${taskId}/comments`, {
          content: `Ask @[Ada Lovelace](${doomed.id}) and @[Me](${admin.id})`,
        })
        .expect(201);
      expect(comment.body).toMatchObject({
        mentionedUsers: [admin.id],
        content: `Ask @[Unknown user](${doomed.id}) and @[Me](${admin.id})`,
      });

      const edited = await as(admin)
        .patch(`/api/tasks/${taskId}/comments/${comment.body.id}`, {
          content: `Only @[Ada Lovelace](${doomed.id})`,
        })
        .expect(200);
      expect(edited.body).toMatchObject({
        mentionedUsers: [],
        content: `Only @[Unknown user](${doomed.id})`,
      });

      const other = await as(admin).post('/api/tasks', { teamId, title: 'New work' }).expect(201);
      const assigned = await as(admin)
        .patch(`/api/tasks/${other.body.id}`, { assigneeId: doomed.id })
        .expect(400);
      expect(assigned.body.errors).toEqual([expect.objectContaining({ field: 'assigneeId' })]);
      expect(await Task.findById(other.body.id).lean()).toMatchObject({ assigneeId: null });
    });
  });
});
