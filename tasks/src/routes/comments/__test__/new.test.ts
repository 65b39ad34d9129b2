import { Activity } from '../../../models/activity';
import { Comment } from '../../../models/comment';
import { commentRequests, COMMENTS_PATH } from '../../../test/comments';
import { addMember, deliver, signIn } from '../../../test/factories';
import { expectDocumented } from '../../../test/openapi';
import { taskPerTest } from '../../../test/team-fixture';

const given = taskPerTest((team) => ({ title: 'Commented', assigneeId: team.admin.id }));

const { post } = commentRequests(() => given);

describe('POST /api/tasks/:id/comments', () => {
  it('stores the comment with its mentions of current members and publishes comment.created', async () => {
    const outsider = signIn();
    const removed = await addMember(given.team.id, signIn(), 'member');
    await deliver('member.removed', {
      teamId: given.team.id,
      userId: removed.id,
      role: 'member',
      version: 1,
    });
    const content =
      `Hi @[Admin](${given.team.admin.id}) and @[Guest](${given.team.guest.id}), ` +
      `not @[Outsider](${outsider.id}) nor @[Gone](${removed.id}); again @[Admin](${given.team.admin.id})`;

    const res = await post(content);

    expect(res.status).toBe(201);
    expectDocumented('post', COMMENTS_PATH, res);
    expect(res.body).toEqual({
      id: expect.any(String),
      taskId: given.task.id,
      authorId: given.team.member.id,
      content,
      mentionedUsers: [given.team.admin.id, given.team.guest.id],
      createdAt: expect.any(String),
      editedAt: null,
      version: 0,
    });
    expect(await Comment.findById(res.body.id).lean()).toMatchObject({
      teamId: given.team.id,
      mentionedUsers: [given.team.admin.id, given.team.guest.id],
    });

    const [event] = await given.ctx.eventsFor('comment.created', res.body.id);
    expect(event?.data).toEqual({
      id: res.body.id,
      version: 0,
      taskId: given.task.id,
      teamId: given.team.id,
      taskTitle: 'Commented',
      taskCreatorId: given.team.member.id,
      taskAssigneeId: given.team.admin.id,
      authorId: given.team.member.id,
      content,
      mentionedUsers: [given.team.admin.id, given.team.guest.id],
    });
    expect(
      await Activity.findOne({ taskId: given.task.id, type: 'comment.created' }).lean(),
    ).toMatchObject({
      actorId: given.team.member.id,
      commentId: res.body.id,
    });
  });

  it('answers 403 to a guest, 404 to a stranger and 401 when signed out, storing nothing', async () => {
    const guest = await post('hello', given.team.guest);
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
