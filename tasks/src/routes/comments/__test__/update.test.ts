import type { EventData } from '@taskforge/common';
import request from 'supertest';
import type { TaskResponse } from '../../../contracts/tasks';
import { Comment } from '../../../models/comment';
import { commentRequests, COMMENT_PATH } from '../../../test/comments';
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

const { post, edit } = commentRequests(() => ({ app: ctx.app, team, task }));

describe('PATCH /api/tasks/:id/comments/:commentId', () => {
  it('lets the author edit: mentions re-resolved, editedAt set, comment.updated published', async () => {
    const created = (await post('first draft').expect(201)).body;
    const res = await edit(created.id, `now with @[Admin](${team.admin.id})`, team.member);
    expect(res.status).toBe(200);
    expectDocumented('patch', COMMENT_PATH, res);
    expect(res.body).toMatchObject({
      mentionedUsers: [team.admin.id],
      editedAt: expect.any(String),
      version: 1,
    });
    const [event] = await ctx.eventsFor('comment.updated', created.id);
    expect((event?.data as EventData<'comment.updated'>).mentionedUsers).toEqual([team.admin.id]);
  });
  it('refuses edits by anyone but the author, even an admin', async () => {
    const created = (await post('mine').expect(201)).body;
    for (const [user, status] of [
      [team.admin, 403],
      [team.guest, 403],
      [signIn(), 404],
    ] as const) {
      const res = await edit(created.id, 'taken over', user);
      expect(res.status).toBe(status);
      expectDocumented('patch', COMMENT_PATH, res);
    }
    expect((await Comment.findById(created.id).lean())?.content).toBe('mine');
  });
  it('answers 404 for a comment of another task', async () => {
    const created = (await post('here').expect(201)).body;
    const otherTask = await createTask(ctx.app, team);
    const res = await request(ctx.app)
      .patch(`/api/tasks/${otherTask.id}/comments/${created.id}`)
      .set('Cookie', team.member.cookie)
      .send({ content: 'moved?' });
    expect(res.status).toBe(404);
  });
});
