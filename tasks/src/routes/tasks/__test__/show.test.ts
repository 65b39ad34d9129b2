import request from 'supertest';
import { createTask, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest();

const show = (id: string, cookie?: string) => {
  const req = request(given.app).get(`/api/tasks/${id}`);
  if (cookie) req.set('Cookie', cookie);
  return req;
};

describe('GET /api/tasks/:id', () => {
  it.each(['admin', 'member', 'guest'] as const)('shows the task to a team %s', async (role) => {
    const task = await createTask(given.app, given.team);
    const res = await show(task.id, given.team[role].cookie);
    expect(res.status).toBe(200);
    expectDocumented('get', '/api/tasks/{id}', res);
    expect(res.body).toEqual(task);
  });

  it('returns 404, not 403, to a signed-in stranger, and 401 when signed out', async () => {
    const task = await createTask(given.app, given.team);
    const stranger = await show(task.id, signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', '/api/tasks/{id}', stranger);
    expect(stranger.body).toEqual({ errors: [{ message: 'Task not found' }] });
    // Also when the stranger's cache read would hit: the check runs on every read.
    expect((await show(task.id, signIn().cookie)).status).toBe(404);
    const anonymous = await show(task.id);
    expect(anonymous.status).toBe(401);
    expectDocumented('get', '/api/tasks/{id}', anonymous);
  });

  it('returns 404 for an unknown or malformed id', async () => {
    for (const id of ['0123456789abcdef01234567', 'nope', 'stats-x']) {
      const res = await show(id, given.team.member.cookie);
      expect(res.status).toBe(404);
      expectDocumented('get', '/api/tasks/{id}', res);
    }
  });
});
