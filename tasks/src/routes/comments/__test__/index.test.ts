import request from 'supertest';
import type { TaskResponse } from '../../../contracts/tasks';
import { commentRequests, COMMENTS_PATH } from '../../../test/comments';
import { createTask, createTeam, signIn, type TestTeam } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { setupTasksTest, type TasksTestContext } from '../../../test/setup';

let ctx: TasksTestContext;
let team: TestTeam;
let task: TaskResponse;

beforeAll(async () => {
  ctx = await setupTasksTest();
});
beforeEach(async () => {
  await ctx.reset();
  team = await createTeam();
  task = await createTask(ctx.app, team, { title: 'Commented', assigneeId: team.admin.id });
});
afterAll(() => ctx.close());

const { post, remove } = commentRequests(() => ({ app: ctx.app, team, task }));

describe('GET /api/tasks/:id/comments', () => {
  it('lists comments oldest first, in pages, to any member including guests', async () => {
    const written: string[] = [];
    for (let i = 0; i < 5; i += 1) written.push((await post(`comment ${i}`).expect(201)).body.id);
    await remove(written[2]!, team.member).expect(204);

    const first = await request(ctx.app)
      .get(`/api/tasks/${task.id}/comments`)
      .query({ limit: 2 })
      .set('Cookie', team.guest.cookie);
    expect(first.status).toBe(200);
    expectDocumented('get', COMMENTS_PATH, first);
    const cursor = first.headers['x-next-cursor'] as string;
    const second = await request(ctx.app)
      .get(`/api/tasks/${task.id}/comments`)
      .query({ limit: 2, cursor })
      .set('Cookie', team.guest.cookie)
      .expect(200);
    expect(second.headers['x-next-cursor']).toBeUndefined();
    const ids = [...first.body, ...second.body].map((c: { id: string }) => c.id);
    expect(ids).toEqual([written[0], written[1], written[3], written[4]]);
  });

  it('answers 404 to a stranger and 400 for a bad cursor', async () => {
    const stranger = await request(ctx.app)
      .get(`/api/tasks/${task.id}/comments`)
      .set('Cookie', signIn().cookie);
    expect(stranger.status).toBe(404);
    expectDocumented('get', COMMENTS_PATH, stranger);
    const bad = await request(ctx.app)
      .get(`/api/tasks/${task.id}/comments`)
      .query({ cursor: 'x' })
      .set('Cookie', team.member.cookie);
    expect(bad.status).toBe(400);
    expectDocumented('get', COMMENTS_PATH, bad);
  });
});
