import type { EventData } from '@taskforge/common';
import { Types } from 'mongoose';
import request from 'supertest';
import { Activity } from '../../../models/activity';
import { Task } from '../../../models/task';
import {
  createTask,
  createTeam,
  DEFAULT_PERMISSIONS,
  deliver,
  newId,
  signIn,
  type SignedInUser,
  type TestTeam,
} from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest();

const patch = (id: string, body: object, user?: SignedInUser) => {
  const req = request(given.app).patch(`/api/tasks/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req.send(body);
};

describe('PATCH /api/tasks/:id', () => {
  it('changes only the fields sent, bumps the version, and publishes the changes with their previous values', async () => {
    const task = await createTask(given.app, given.team, {
      title: 'Old',
      priority: 'low',
      tags: ['a'],
      dueDate: '2030-01-01',
      customFields: { points: 1, client: 'ACME' },
    });

    const res = await patch(
      task.id,
      {
        title: 'New',
        priority: 'urgent',
        assigneeId: given.team.member.id,
        dueDate: null,
        tags: ['a', 'b'],
        customFields: { points: 5, client: null, billable: true },
      },
      given.team.member,
    );

    expect(res.status).toBe(200);
    expectDocumented('patch', '/api/tasks/{id}', res);
    expect(res.body).toMatchObject({
      title: 'New',
      priority: 'urgent',
      assigneeId: given.team.member.id,
      dueDate: null,
      tags: ['a', 'b'],
      customFields: { points: 5, billable: true },
      status: 'todo',
      description: '',
      version: 1,
    });
    expect(await Task.findById(task.id).lean()).toMatchObject({
      title: 'New',
      priorityRank: 3,
      version: 1,
    });

    const [event] = await given.ctx.eventsFor('task.updated', task.id);
    expect(event?.data).toMatchObject({
      id: task.id,
      version: 1,
      teamId: given.team.id,
      title: 'New',
      status: 'todo',
      assigneeId: given.team.member.id,
      creatorId: given.team.member.id,
      position: task.position,
    });
    expect(event?.data.changes).toEqual({
      title: { from: 'Old', to: 'New' },
      priority: { from: 'low', to: 'urgent' },
      assigneeId: { from: null, to: given.team.member.id },
      dueDate: { from: '2030-01-01T00:00:00.000Z', to: null },
      tags: { from: ['a'], to: ['a', 'b'] },
      customFields: {
        from: { points: 1, client: 'ACME' },
        to: { points: 5, billable: true },
      },
    });
    expect(event?.metadata.actorId).toBe(given.team.member.id);
  });

  it('moves a task to the end of its new column, sets completedAt on done and clears it when reopened', async () => {
    const done = await createTask(given.app, given.team, { status: 'done' });
    const task = await createTask(given.app, given.team, { status: 'todo' });

    const finished = await patch(task.id, { status: 'done' }, given.team.member).expect(200);
    expect(finished.body.position).toBe(done.position + 1);
    expect(finished.body.completedAt).toEqual(expect.any(String));
    const stored = await Task.findById(task.id).lean().orFail();
    expect(stored.cycleTimeMs).toBeGreaterThanOrEqual(0);
    expect(stored.completedWeek).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const reopened = await patch(
      task.id,
      { status: 'in_progress', position: 7.5 },
      given.team.member,
    ).expect(200);
    expect(reopened.body).toMatchObject({
      completedAt: null,
      position: 7.5,
      status: 'in_progress',
    });
    expect(await Task.findById(task.id).lean()).toMatchObject({
      completedWeek: null,
      cycleTimeMs: null,
    });

    const events = (await given.ctx.eventsFor('task.updated', task.id, 2)).map(
      (e) => e.data as EventData<'task.updated'>,
    );
    // Where the card now is, whether or not the write changed it: boards place it from this.
    expect(events.map((e) => [e.status, e.position])).toEqual([
      ['done', done.position + 1],
      ['in_progress', 7.5],
    ]);
    expect(events[0]?.changes.status).toEqual({ from: 'todo', to: 'done' });
    expect(events[1]?.changes).toMatchObject({
      status: { from: 'done', to: 'in_progress' },
      completedAt: { from: finished.body.completedAt, to: null },
      position: { from: done.position + 1, to: 7.5 },
    });
  });

  it('answers 200 and publishes nothing when nothing changes', async () => {
    const task = await createTask(given.app, given.team, { title: 'Same' });
    const res = await patch(task.id, { title: 'Same' }, given.team.guest);
    // Not even a guest is refused a no-op: nothing is written.
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(0);
    expect((await Task.findById(task.id).lean())?.version).toBe(0);
  });

  it('records the tracked changes in the activity', async () => {
    const task = await createTask(given.app, given.team);
    await patch(
      task.id,
      { status: 'in_progress', description: 'long text' },
      given.team.member,
    ).expect(200);
    const entries = await Activity.find({ taskId: task.id, type: 'task.updated' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]?.changes).toEqual([{ field: 'status', from: 'todo', to: 'in_progress' }]);
    // A change of untracked fields alone leaves no entry.
    await patch(task.id, { description: 'other text' }, given.team.member).expect(200);
    expect(await Activity.countDocuments({ taskId: task.id, type: 'task.updated' })).toBe(1);
  });

  it('refuses an assignee who is not a current member', async () => {
    const task = await createTask(given.app, given.team);
    const res = await patch(task.id, { assigneeId: newId() }, given.team.member);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/tasks/{id}', res);
    expect(res.body).toEqual({
      errors: [{ message: 'Assignee must be a member of the team', field: 'assigneeId' }],
    });
  });

  it('refuses more than 50 custom fields after merging', async () => {
    const fields = Object.fromEntries(Array.from({ length: 30 }, (_v, i) => [`a${i}`, i]));
    const task = await createTask(given.app, given.team, { customFields: fields });
    const more = Object.fromEntries(Array.from({ length: 21 }, (_v, i) => [`b${i}`, i]));
    const res = await patch(task.id, { customFields: more }, given.team.member);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'At most 50 custom fields', field: 'customFields' }],
    });
  });

  it('returns 409 when the client edited a version that is no longer current', async () => {
    const task = await createTask(given.app, given.team);
    await patch(task.id, { title: 'first', version: 0 }, given.team.member).expect(200);
    const res = await patch(task.id, { title: 'stale', version: 0 }, given.team.member);
    expect(res.status).toBe(409);
    expectDocumented('patch', '/api/tasks/{id}', res);
    expect(await Task.findById(task.id).lean()).toMatchObject({ title: 'first', version: 1 });
  });

  it('applies concurrent edits one after the other with gapless versions and one event each', async () => {
    const task = await createTask(given.app, given.team);
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => patch(task.id, { title: `edit ${n}` }, given.team.member)),
    );
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.body.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const events = await given.ctx.eventsFor('task.updated', task.id, 5);
    expect(events.map((e) => e.data.version)).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses to save a copy another pod has changed since (VersionError)', async () => {
    const task = await createTask(given.app, given.team);
    // Another pod saved version 1 between this pod's read and its save.
    const stored = await Task.findById(task.id).orFail();
    await Task.collection.updateOne(
      { _id: stored._id },
      { $set: { title: 'other pod' }, $inc: { version: 1 } },
    );
    stored.title = 'this pod';
    await expect(stored.save()).rejects.toMatchObject({ name: 'VersionError' });
    expect(await Task.findById(task.id).lean()).toMatchObject({ title: 'other pod', version: 1 });
  });

  it('applies its edit on top of writes another pod makes at the same time, losing neither', async () => {
    const task = await createTask(given.app, given.team);
    // "Another pod": versioned writes of the description straight into the collection.
    const otherPod = async (n: number) => {
      for (;;) {
        const { version } = (await Task.findById(task.id, { version: 1 }).lean())!;
        const res = await Task.collection.updateOne(
          { _id: new Types.ObjectId(task.id), version },
          { $set: { description: `other ${n}` }, $inc: { version: 1 } },
        );
        if (res.modifiedCount === 1) return;
      }
    };
    const [responses] = await Promise.all([
      Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          patch(task.id, { priority: 'high', title: `edit ${n}` }, given.team.member),
        ),
      ),
      Promise.all([1, 2, 3, 4, 5].map(otherPod)),
    ]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const stored = (await Task.findById(task.id).lean())!;
    expect(stored.version).toBe(10);
    expect(stored.priority).toBe('high');
    expect(stored.description).toMatch(/^other [1-5]$/);
    // Each of this pod's edits got a version of its own, and an event with it.
    const versions = responses.map((r) => r.body.version as number);
    expect(new Set(versions).size).toBe(5);
    const events = await given.ctx.eventsFor('task.updated', task.id, 5);
    expect(events.map((e) => e.data.version).sort((a, b) => a - b)).toEqual(
      [...versions].sort((a, b) => a - b),
    );
  });

  it.each([
    ['empty title', { title: '' }, 'title', 'Title is required'],
    [
      'unknown status',
      { status: 'closed' },
      'status',
      'Status must be one of backlog, todo, in_progress, in_review, done',
    ],
    [
      'bad version',
      { title: 'x', version: -1 },
      'version',
      'Version must be a non-negative integer',
    ],
    [
      'bad dueDate',
      { dueDate: '31/12/2030' },
      'dueDate',
      'dueDate must be an ISO 8601 date or null',
    ],
  ])('returns 400 for %s and changes nothing', async (_label, body, field, message) => {
    const task = await createTask(given.app, given.team, { title: 'Kept' });
    const res = await patch(task.id, body, given.team.member);
    expect(res.status).toBe(400);
    expectDocumented('patch', '/api/tasks/{id}', res);
    expect(res.body.errors).toContainEqual({ message, field });
    expect(await Task.findById(task.id).lean()).toMatchObject({ title: 'Kept', version: 0 });
  });
});

describe('the role and permission matrix', () => {
  type Actor = 'admin' | 'member' | 'guest' | 'stranger' | 'memberWithoutAssign';

  let team: TestTeam;
  let memberWithoutAssign: SignedInUser;
  const userFor = (actor: Actor): SignedInUser =>
    actor === 'stranger'
      ? signIn()
      : actor === 'memberWithoutAssign'
        ? memberWithoutAssign
        : team[actor];

  beforeEach(async () => {
    // A team whose members may update but not assign.
    team = await createTeam({
      ...DEFAULT_PERMISSIONS,
      member: ['task.create', 'task.update', 'comment.create'],
    });
    memberWithoutAssign = team.member;
  });

  it.each<[string, number, Actor]>([
    ['admin edits', 200, 'admin'],
    ['member edits', 200, 'member'],
    ['guest edits', 403, 'guest'],
    ['stranger edits', 404, 'stranger'],
  ])('PATCH title: %s → %i', async (_label, status, actor) => {
    const task = await createTask(given.app, team, {}, team.admin);
    const res = await patch(task.id, { title: 'changed' }, userFor(actor));
    expect(res.status).toBe(status);
    expectDocumented('patch', '/api/tasks/{id}', res);
    expect((await Task.findById(task.id).lean())?.title).toBe(
      status === 200 ? 'changed' : task.title,
    );
  });

  it.each<[string, number, Actor]>([
    ['admin assigns', 200, 'admin'],
    ['member without task.assign assigns', 403, 'memberWithoutAssign'],
    ['guest assigns', 403, 'guest'],
    ['stranger assigns', 404, 'stranger'],
  ])('PATCH assigneeId: %s → %i', async (_label, status, actor) => {
    const task = await createTask(given.app, team, {}, team.admin);
    const res = await patch(task.id, { assigneeId: team.admin.id }, userFor(actor));
    expect(res.status).toBe(status);
    if (status === 403) {
      expect(res.body).toEqual({
        errors: [{ message: 'Your role in this team does not allow task.assign' }],
      });
    }
    expect((await Task.findById(task.id).lean())?.assigneeId).toBe(
      status === 200 ? team.admin.id : null,
    );
  });

  it('a member without task.update cannot edit, and a removed member gets 404', async () => {
    const readOnly = await createTeam({ ...DEFAULT_PERMISSIONS, member: ['task.assign'] });
    const task = await createTask(given.app, readOnly, {}, readOnly.admin);
    const forbidden = await patch(task.id, { title: 'x' }, readOnly.member);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({
      errors: [{ message: 'Your role in this team does not allow task.update' }],
    });

    await deliver('member.removed', {
      teamId: readOnly.id,
      userId: readOnly.member.id,
      role: 'member',
      version: 1,
    });
    expect((await patch(task.id, { assigneeId: readOnly.admin.id }, readOnly.member)).status).toBe(
      404,
    );
  });
});
