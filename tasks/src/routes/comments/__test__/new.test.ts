import type { EventData } from '@taskforge/common';
import request from 'supertest';
import { Activity } from '../../models/activity';
import { Comment } from '../../models/comment';
import {
  addMember,
  createTask,
  createTeam,
  deliver,
  signIn,
  type SignedInUser,
  type TestTeam,
} from '../../test/factories';
import { expectDocumented } from '../../test/openapi';
import { setupTasksTest, type TasksTestContext } from '../../test/setup';
import type { TaskResponse } from '../../contracts/tasks';

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

const comments = `/api/tasks/{id}/comments`;
const one = `/api/tasks/{id}/comments/{commentId}`;
const post = (content: unknown, user: SignedInUser | null = team.member, taskId = task.id) => {
  const req = request(ctx.app).post(`/api/tasks/${taskId}/comments`);
  if (user) req.set('Cookie', user.cookie);
  return req.send({ content });
};
const edit = (commentId: string, content: string, user: SignedInUser) =>
  request(ctx.app)
    .patch(`/api/tasks/${task.id}/comments/${commentId}`)
    .set('Cookie', user.cookie)
    .send({ content });
const remove = (commentId: string, user: SignedInUser) =>
  request(ctx.app).delete(`/api/tasks/${task.id}/comments/${commentId}`).set('Cookie', user.cookie);

describe('POST /api/tasks/:id/comments', () => {
  it('stores the comment with its mentions of current members and publishes comment.created', async () => {
    const outsider = signIn();
    const removed = await addMember(team.id, signIn(), 'member');
    await deliver('member.removed', {
      teamId: team.id,
      userId: removed.id,
      role: 'member',
      version: 1,
    });
    const content =
      `Hi @[Admin](${team.admin.id}) and @[Guest](${team.guest.id}), ` +
      `not @[Outsider](${outsider.id}) nor @[Gone](${removed.id}); again @[Admin](${team.admin.id})`;

    const res = await post(content);

    expect(res.status).toBe(201);
    expectDocumented('post', comments, res);
    expect(res.body).toEqual({
      id: expect.any(String),
      taskId: task.id,
      authorId: team.member.id,
      content,
      mentionedUsers: [team.admin.id, team.guest.id],
      createdAt: expect.any(String),
      editedAt: null,
      version: 0,
    });
    expect(await Comment.findById(res.body.id).lean()).toMatchObject({
      teamId: team.id,
      mentionedUsers: [team.admin.id, team.guest.id],
    });

    const [event] = await ctx.eventsFor('comment.created', res.body.id);
    expect(event?.data).toEqual({
      id: res.body.id,
      version: 0,
      taskId: task.id,
      teamId: team.id,
      taskTitle: 'Commented',
      taskCreatorId: team.member.id,
      taskAssigneeId: team.admin.id,
      authorId: team.member.id,
      content,
      mentionedUsers: [team.admin.id, team.guest.id],
    });
    expect(
      await Activity.findOne({ taskId: task.id, type: 'comment.created' }).lean(),
    ).toMatchObject({
      actorId: team.member.id,
      commentId: res.body.id,
    });
  });

  it('answers 403 to a guest, 404 to a stranger and 401 when signed out, storing nothing', async () => {
    const guest = await post('hello', team.guest);
    expect(guest.status).toBe(403);
    expectDocumented('post', comments, guest);
    expect((await post('hello', signIn())).status).toBe(404);
    expect((await post('hello', null)).status).toBe(401);
    expect(await Comment.countDocuments()).toBe(0);
  });

  it.each([
    ['empty content', '   ', 'Content is required'],
    [
      'content over 10000 characters',
      'x'.repeat(10_001),
      'Content must be at most 10000 characters',
    ],
    ['content that is not a string', { $gt: '' }, 'Content must be a string'],
  ])('answers 400 for %s', async (_label, content, message) => {
    const res = await post(content);
    expect(res.status).toBe(400);
    expectDocumented('post', comments, res);
    expect(res.body).toEqual({ errors: [{ message, field: 'content' }] });
  });
});

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
    expectDocumented('get', comments, first);
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
    expectDocumented('get', comments, stranger);
    const bad = await request(ctx.app)
      .get(`/api/tasks/${task.id}/comments`)
      .query({ cursor: 'x' })
      .set('Cookie', team.member.cookie);
    expect(bad.status).toBe(400);
    expectDocumented('get', comments, bad);
  });
});

describe('PATCH and DELETE /api/tasks/:id/comments/:commentId', () => {
  it('lets the author edit: mentions re-resolved, editedAt set, comment.updated published', async () => {
    const created = (await post('first draft').expect(201)).body;
    const res = await edit(created.id, `now with @[Admin](${team.admin.id})`, team.member);
    expect(res.status).toBe(200);
    expectDocumented('patch', one, res);
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
      expectDocumented('patch', one, res);
    }
    expect((await Comment.findById(created.id).lean())?.content).toBe('mine');
  });

  it('lets the author or an admin delete, publishes comment.deleted, and refuses others', async () => {
    const byMember = (await post('by member').expect(201)).body;
    const other = (await post('another').expect(201)).body;
    const guestTry = await remove(byMember.id, team.guest);
    expect(guestTry.status).toBe(403);
    expectDocumented('delete', one, guestTry);

    expect((await remove(byMember.id, team.member)).status).toBe(204);
    expect((await remove(other.id, team.admin)).status).toBe(204);
    expect(await Comment.countDocuments({ deletedAt: null })).toBe(0);
    const notFound = await remove(byMember.id, team.member);
    expect(notFound.status).toBe(404);
    expectDocumented('delete', one, notFound);
    const [event] = await ctx.eventsFor('comment.deleted', byMember.id);
    expect(event?.data).toMatchObject({ id: byMember.id, version: 1, authorId: team.member.id });
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
