import request from 'supertest';
import { createTask, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest({ relay: false });

const path = '/api/tasks/{id}/activity';
const activity = (
  id: string,
  query: Record<string, string> = {},
  cookie = given.team.guest.cookie,
) => request(given.app).get(`/api/tasks/${id}/activity`).query(query).set('Cookie', cookie);

describe('GET /api/tasks/:id/activity', () => {
  it('tells who changed which field from what to what, newest first, with comments', async () => {
    const task = await createTask(given.app, given.team, { title: 'Start', dueDate: '2030-01-01' });
    const patch = (body: object, cookie: string) =>
      request(given.app)
        .patch(`/api/tasks/${task.id}`)
        .set('Cookie', cookie)
        .send(body)
        .expect(200);
    await patch(
      { status: 'in_progress', assigneeId: given.team.member.id },
      given.team.member.cookie,
    );
    await patch(
      { priority: 'urgent', dueDate: null, title: 'Renamed', tags: ['x'] },
      given.team.admin.cookie,
    );
    const comment = await request(given.app)
      .post(`/api/tasks/${task.id}/comments`)
      .set('Cookie', given.team.admin.cookie)
      .send({ content: 'done soon?' })
      .expect(201);

    const res = await activity(task.id);
    expect(res.status).toBe(200);
    expectDocumented('get', path, res);
    expect(res.body).toEqual([
      {
        id: expect.any(String),
        type: 'comment.created',
        actorId: given.team.admin.id,
        at: expect.any(String),
        changes: [],
        commentId: comment.body.id,
      },
      {
        id: expect.any(String),
        type: 'task.updated',
        actorId: given.team.admin.id,
        at: expect.any(String),
        changes: [
          { field: 'title', from: 'Start', to: 'Renamed' },
          { field: 'priority', from: 'medium', to: 'urgent' },
          { field: 'dueDate', from: '2030-01-01T00:00:00.000Z', to: null },
          { field: 'tags', from: [], to: ['x'] },
        ],
      },
      {
        id: expect.any(String),
        type: 'task.updated',
        actorId: given.team.member.id,
        at: expect.any(String),
        changes: [
          { field: 'status', from: 'todo', to: 'in_progress' },
          { field: 'assigneeId', from: null, to: given.team.member.id },
        ],
      },
      {
        id: expect.any(String),
        type: 'task.created',
        actorId: given.team.member.id,
        at: expect.any(String),
        changes: [],
      },
    ]);
  });

  it('records custom field changes like the other fields, and nothing for an unchanged value', async () => {
    const task = await createTask(given.app, given.team, { title: 'Estimate me' });
    const patch = (customFields: object) =>
      request(given.app)
        .patch(`/api/tasks/${task.id}`)
        .set('Cookie', given.team.member.cookie)
        .send({ customFields })
        .expect(200);
    await patch({ estimate: 3, owner: 'ops' });
    await patch({ estimate: 5, owner: null });
    await patch({ estimate: 5 });

    const res = await activity(task.id);
    expect(res.status).toBe(200);
    expectDocumented('get', path, res);
    expect(res.body.map((entry: { type: string; changes: unknown }) => entry.changes)).toEqual([
      [{ field: 'customFields', from: { estimate: 3, owner: 'ops' }, to: { estimate: 5 } }],
      [{ field: 'customFields', from: {}, to: { estimate: 3, owner: 'ops' } }],
      [],
    ]);
    expect(res.body[0]).toMatchObject({ type: 'task.updated', actorId: given.team.member.id });
  });

  it('pages with X-Next-Cursor, each entry once', async () => {
    const task = await createTask(given.app, given.team);
    for (let i = 0; i < 4; i += 1) {
      await request(given.app)
        .patch(`/api/tasks/${task.id}`)
        .set('Cookie', given.team.member.cookie)
        .send({ title: `t${i}` })
        .expect(200);
    }
    const all = (await activity(task.id)).body.map((e: { id: string }) => e.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await activity(task.id, { limit: '2', ...(cursor ? { cursor } : {}) }).expect(
        200,
      );
      expectDocumented('get', path, res);
      seen.push(...res.body.map((e: { id: string }) => e.id));
      cursor = res.headers['x-next-cursor'] as string | undefined;
    } while (cursor);
    expect(all).toHaveLength(5);
    expect(seen).toEqual(all);
  });

  it('answers 404 to a stranger and 400 for a bad limit', async () => {
    const task = await createTask(given.app, given.team);
    const stranger = await activity(task.id, {}, signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', path, stranger);
    const bad = await activity(task.id, { limit: '1000' });
    expect(bad.status).toBe(400);
    expectDocumented('get', path, bad);
  });
});
