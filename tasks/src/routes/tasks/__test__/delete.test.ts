import request from 'supertest';
import { Task } from '../../../models/task';
import { addMember, createTask, signIn, type SignedInUser } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { teamPerTest } from '../../../test/team-fixture';

const given = teamPerTest();

const remove = (id: string, user?: SignedInUser) => {
  const req = request(given.app).delete(`/api/tasks/${id}`);
  if (user) req.set('Cookie', user.cookie);
  return req;
};

describe('DELETE /api/tasks/:id', () => {
  it('lets the creator delete: 204, hidden from reads, task.deleted on the stream', async () => {
    const task = await createTask(given.app, given.team, { assigneeId: given.team.admin.id });
    const res = await remove(task.id, given.team.member);
    expect(res.status).toBe(204);
    expectDocumented('delete', '/api/tasks/{id}', res);

    expect(await Task.findById(task.id).lean()).toMatchObject({
      deletedAt: expect.any(Date),
      version: 1,
    });
    await request(given.app)
      .get(`/api/tasks/${task.id}`)
      .set('Cookie', given.team.member.cookie)
      .expect(404);
    await remove(task.id, given.team.member).expect(404);
    const [event] = await given.ctx.eventsFor('task.deleted', task.id);
    expect(event?.data).toEqual({
      id: task.id,
      version: 1,
      teamId: given.team.id,
      title: task.title,
      assigneeId: given.team.admin.id,
      creatorId: given.team.member.id,
    });
  });

  it.each<[string, number, 'admin' | 'otherMember' | 'guest' | 'stranger' | 'anonymous']>([
    ['an admin who did not create it', 204, 'admin'],
    ['a member who did not create it', 403, 'otherMember'],
    ['a guest', 403, 'guest'],
    ['a stranger', 404, 'stranger'],
    ['nobody signed in', 401, 'anonymous'],
  ])('answers %s with %i', async (_label, status, actor) => {
    const task = await createTask(given.app, given.team, {}, given.team.admin);
    const creatorIsMember = await createTask(given.app, given.team, {}, given.team.member);
    const target = actor === 'admin' ? creatorIsMember : task;
    const other = signIn();
    if (actor === 'otherMember') await addMember(given.team.id, other, 'member');
    const user =
      actor === 'anonymous'
        ? undefined
        : actor === 'otherMember' || actor === 'stranger'
          ? other
          : given.team[actor];
    const res = await remove(target.id, user);
    expect(res.status).toBe(status);
    expectDocumented('delete', '/api/tasks/{id}', res);
    expect((await Task.findById(target.id).lean())?.deletedAt ?? null).toEqual(
      status === 204 ? expect.any(Date) : null,
    );
  });
});
