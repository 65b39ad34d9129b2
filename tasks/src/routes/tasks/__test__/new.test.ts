import request from 'supertest';
import { Activity } from '../../../models/activity';
import { Task } from '../../../models/task';
import { Ticket } from '../../../replicas/ticket';
import { createTask, deliver, newId, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest();

const post = (body: object, cookie?: string) => {
  const req = request(given.app).post('/api/tasks');
  if (cookie) req.set('Cookie', cookie);
  return req.send(body);
};

describe('POST /api/tasks', () => {
  it('creates a task with defaults at the end of its column: 201, stored, task.created on the stream', async () => {
    const first = await createTask(given.app, given.team, { title: 'First' });
    const res = await post(
      {
        teamId: given.team.id,
        title: '  Write the docs ',
        description: 'In **markdown**',
        priority: 'high',
        assigneeId: given.team.admin.id,
        dueDate: '2030-01-15',
        tags: ['docs', 'docs', ' q3 '],
        customFields: { points: 3, billable: true, client: 'ACME', starts: '2030-01-01' },
      },
      given.team.member.cookie,
    );

    expect(res.status).toBe(201);
    expectDocumented('post', '/api/tasks', res);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      teamId: given.team.id,
      title: 'Write the docs',
      description: 'In **markdown**',
      status: 'todo',
      priority: 'high',
      assigneeId: given.team.admin.id,
      creatorId: given.team.member.id,
      dueDate: '2030-01-15T00:00:00.000Z',
      tags: ['docs', 'q3'],
      customFields: {
        points: 3,
        billable: true,
        client: 'ACME',
        starts: '2030-01-01T00:00:00.000Z',
      },
      ticketId: null,
      attachments: [],
      position: first.position + 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      completedAt: null,
      version: 0,
    });
    const stored = await Task.findById(res.body.id).lean().orFail();
    expect(stored).toMatchObject({ priorityRank: 2, title: 'Write the docs', deletedAt: null });
    expect(stored.customFields.starts).toBeInstanceOf(Date);
    expect(stored.createdWeek).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const [event] = await given.ctx.eventsFor('task.created', res.body.id);
    expect(event?.data).toEqual({
      id: res.body.id,
      version: 0,
      teamId: given.team.id,
      title: 'Write the docs',
      status: 'todo',
      priority: 'high',
      assigneeId: given.team.admin.id,
      creatorId: given.team.member.id,
      dueDate: '2030-01-15T00:00:00.000Z',
      ticketId: null,
      tags: ['docs', 'q3'],
      position: res.body.position,
    });
    expect(event?.metadata.actorId).toBe(given.team.member.id);
    expect(await Activity.find({ taskId: res.body.id }).lean()).toEqual([
      expect.objectContaining({
        type: 'task.created',
        actorId: given.team.member.id,
        taskVersion: 0,
      }),
    ]);
  });

  it('marks a task created as done completed', async () => {
    const task = await createTask(given.app, given.team, { status: 'done' });
    expect(task.completedAt).toEqual(expect.any(String));
    const stored = await Task.findById(task.id).lean().orFail();
    expect(stored.cycleTimeMs).toBe(0);
    expect(stored.completedWeek).toBe(stored.createdWeek);
  });

  it('links a ticket the tickets replica knows, and refuses an unknown or deleted one', async () => {
    const ticketId = newId();
    await deliver('ticket.created', {
      id: ticketId,
      version: 0,
      title: 'Gig',
      price: 5,
      userId: 'x',
    });
    const linked = await createTask(given.app, given.team, { ticketId });
    expect(linked.ticketId).toBe(ticketId);

    const unknown = await post(
      { teamId: given.team.id, title: 't', ticketId: newId() },
      given.team.member.cookie,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ errors: [{ message: 'No such ticket', field: 'ticketId' }] });

    await deliver('ticket.deleted', {
      id: ticketId,
      version: 1,
      title: 'Gig',
      price: 5,
      userId: 'x',
    });
    expect(await Ticket.findById(ticketId).lean()).toMatchObject({ deleted: true });
    expect(
      (await post({ teamId: given.team.id, title: 't', ticketId }, given.team.member.cookie))
        .status,
    ).toBe(400);
  });

  it('returns 401 when signed out', async () => {
    const res = await post({ teamId: given.team.id, title: 'x' });
    expect(res.status).toBe(401);
    expectDocumented('post', '/api/tasks', res);
    expect(await Task.countDocuments()).toBe(0);
  });

  it('returns 404 to a non-member and for an unknown team, so a team’s existence does not leak', async () => {
    for (const teamId of [given.team.id, newId()]) {
      const res = await post({ teamId, title: 'x' }, signIn().cookie);
      expect(res.status).toBe(404);
      expectDocumented('post', '/api/tasks', res);
      expect(res.body).toEqual({ errors: [{ message: 'Team not found' }] });
    }
    expect(await Task.countDocuments()).toBe(0);
  });

  it('returns 403 to a guest and to a member whose role lacks task.create', async () => {
    const res = await post({ teamId: given.team.id, title: 'x' }, given.team.guest.cookie);
    expect(res.status).toBe(403);
    expectDocumented('post', '/api/tasks', res);
    expect(res.body).toEqual({
      errors: [{ message: 'Your role in this team does not allow task.create' }],
    });
    expect(await Task.countDocuments()).toBe(0);
  });

  it('refuses an assignee who is not a member of the team', async () => {
    const res = await post(
      { teamId: given.team.id, title: 'x', assigneeId: newId() },
      given.team.member.cookie,
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Assignee must be a member of the team', field: 'assigneeId' }],
    });
  });

  it.each([
    ['empty title', { title: '' }, 'title', 'Title is required'],
    ['title over 200', { title: 'x'.repeat(201) }, 'title', 'Title must be at most 200 characters'],
    [
      'description over 20000',
      { title: 'ok', description: 'x'.repeat(20_001) },
      'description',
      'Description must be at most 20000 characters',
    ],
    [
      'unknown status',
      { title: 'ok', status: 'doing' },
      'status',
      'Status must be one of backlog, todo, in_progress, in_review, done',
    ],
    [
      'unknown priority',
      { title: 'ok', priority: 'p1' },
      'priority',
      'Priority must be one of low, medium, high, urgent',
    ],
    [
      'status as an empty list',
      { title: 'ok', status: [] },
      'status',
      'Status must be one of backlog, todo, in_progress, in_review, done',
    ],
    [
      'status as a list of a valid status',
      { title: 'ok', status: ['todo'] },
      'status',
      'Status must be one of backlog, todo, in_progress, in_review, done',
    ],
    [
      'priority as a list',
      { title: 'ok', priority: ['low'] },
      'priority',
      'Priority must be one of low, medium, high, urgent',
    ],
    [
      'unparsable dueDate',
      { title: 'ok', dueDate: 'tomorrow' },
      'dueDate',
      'dueDate must be an ISO 8601 date or null',
    ],
    [
      'operator object as assigneeId',
      { title: 'ok', assigneeId: { $ne: null } },
      'assigneeId',
      'assigneeId must be a user id or null',
    ],
    ['tags not an array', { title: 'ok', tags: 'a,b' }, 'tags', 'Tags must be an array of strings'],
    [
      '21 tags',
      { title: 'ok', tags: Array.from({ length: 21 }, (_v, i) => `t${i}`) },
      'tags',
      'At most 20 tags',
    ],
    [
      'tag over 40',
      { title: 'ok', tags: ['x'.repeat(41)] },
      'tags',
      'Each tag must have 1 to 40 characters',
    ],
    [
      'customFields array',
      { title: 'ok', customFields: [] },
      'customFields',
      'customFields must be an object',
    ],
    [
      'dotted custom field name',
      { title: 'ok', customFields: { 'a.b': 1 } },
      'customFields',
      'Custom field name "a.b" must be 1-40 of A-Z a-z 0-9 _ -',
    ],
    [
      'operator custom field name',
      { title: 'ok', customFields: { $where: 1 } },
      'customFields',
      'Custom field name "$where" must be 1-40 of A-Z a-z 0-9 _ -',
    ],
    [
      'nested custom field',
      { title: 'ok', customFields: { nested: { a: 1 } } },
      'customFields',
      'Custom field "nested" must be a string (at most 500 characters), number, boolean',
    ],
    [
      '51 custom fields',
      {
        title: 'ok',
        customFields: Object.fromEntries(Array.from({ length: 51 }, (_v, i) => [`k${i}`, i])),
      },
      'customFields',
      'At most 50 custom fields',
    ],
    [
      'non-numeric position',
      { title: 'ok', position: 'top' },
      'position',
      'Position must be a number',
    ],
    ['malformed teamId', { title: 'ok', teamId: 'has space' }, 'teamId', 'teamId is required'],
  ])('returns 400 for %s', async (_label, body, field, message) => {
    const res = await post({ teamId: given.team.id, ...body }, given.team.member.cookie);
    expect(res.status).toBe(400);
    expectDocumented('post', '/api/tasks', res);
    expect(res.body.errors).toContainEqual({ message, field });
    expect(await Task.countDocuments()).toBe(0);
  });
});
