import type { TaskResponse } from '../../../contracts/tasks';
import { Activity } from '../../../models/activity';
import { Comment } from '../../../models/comment';
import { commentRequests, COMMENTS_PATH } from '../../../test/comments';
import {
  addMember,
  createTask,
  createTeam,
  deliver,
  signIn,
  type TestTeam,
} from '../../../test/factories';
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

const { post } = commentRequests(() => ({ app: ctx.app, team, task }));

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
    expectDocumented('post', COMMENTS_PATH, res);
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
    expectDocumented('post', COMMENTS_PATH, guest);
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
    expectDocumented('post', COMMENTS_PATH, res);
    expect(res.body).toEqual({ errors: [{ message, field: 'content' }] });
  });
});
