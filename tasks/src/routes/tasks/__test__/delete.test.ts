import request from 'supertest';
import { Task } from '../../../models/task';
import {
  addMember,
  createTask,
  createTeam,
  signIn,
  type SignedInUser,
  type TestTeam,
} from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTasksTest, type TasksTestContext } from '../../../test/setup';

let ctx: TasksTestContext;
let team: TestTeam;

beforeAll(async () => {
  ctx = await setupTasksTest();
});
beforeEach(async () => {
  await ctx.reset();
  team = await createTeam();
});
afterAll(() => ctx.close());

const remove = (id: string, user?: SignedInUser) => {
  const req = request(ctx.app).delete(`/api/tasks/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req;
};

describe('DELETE /api/tasks/:id', () => {
  it('lets the creator delete: 204, hidden from reads, task.deleted on the stream', async () => {
    const task = await createTask(ctx.app, team, { assigneeId: team.admin.id });
    const res = await remove(task.id, team.member);
    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/tasks/{id}', res);

    expect(await Task.findById(task.id).lean()).toMatchObject({
      deletedAt: expect.any(Date),
      version: 1,
    });
    await request(ctx.app)
      .get(`/api/tasks/${task.id}`)
      .set('Cookie', team.member.cookie)
      .expect(404);
    await remove(task.id, team.member).expect(404);
    const [event] = await ctx.eventsFor('task.deleted', task.id);
    expect(event?.data).toEqual({
      id: task.id,
      version: 1,
      teamId: team.id,
      title: task.title,
      assigneeId: team.admin.id,
      creatorId: team.member.id,
    });
  });

  it.each<[string, number, 'admin' | 'otherMember' | 'guest' | 'stranger' | 'anonymous']>([
    ['an admin who did not create it', 204, 'admin'],
    ['a member who did not create it', 403, 'otherMember'],
    ['a guest', 403, 'guest'],
    ['a stranger', 404, 'stranger'],
    ['nobody signed in', 401, 'anonymous'],
  ])('answers %s with %i', async (_label, status, actor) => {
    const task = await createTask(ctx.app, team, {}, team.admin);
    const creatorIsMember = await createTask(ctx.app, team, {}, team.member);
    const target = actor === 'admin' ? creatorIsMember : task;
    const other = signIn();
    if (actor === 'otherMember') await addMember(team.id, other, 'member');
    const user =
      actor === 'anonymous'
        ? undefined
        : actor === 'otherMember' || actor === 'stranger'
          ? other
          : team[actor];
    const res = await remove(target.id, user);
    expect(res.status).toBe(status);
    expectDocumented('delete', '/api/tasks/{id}', res);
    expect((await Task.findById(target.id).lean())?.deletedAt ?? null).toEqual(
      status === 204 ? expect.any(Date) : null,
    );
  });
});
