import type { EventEnvelope } from '@taskforge/common';
import { Notification } from '../../../models/notification';
import { TaskComment } from '../../../replicas/task-comment';
import { buildComment, buildTask, buildUser, newId } from '../../../test/factories';
import { liveMessages } from '../../../test/inspect';
import { setupNotificationsTest, type NotificationsTestContext } from '../../../test/setup';

let ctx: NotificationsTestContext;

beforeAll(async () => {
  ctx = await setupNotificationsTest();
});
afterAll(() => ctx.close());

async function recipientsOf(event: EventEnvelope) {
  const made = await Notification.find({ sourceEventId: event.id }).lean();
  return Object.fromEntries(made.map((n) => [n.recipientId, n.kind]));
}

describe('comment.created', () => {
  it('notifies creator, assignee and earlier commenters; mentions say so; never the author', async () => {
    const creatorId = newId();
    const assigneeId = newId();
    const task = buildTask({ creatorId, assigneeId, title: 'Plan <b>sprint</b>' });
    const earlierAuthor = newId();
    const mentioned = newId();
    const author = buildUser({ firstName: 'Bo' });
    await ctx.publish('user.created', author);

    await ctx.publish('comment.created', buildComment(task, { authorId: earlierAuthor }), {
      actorId: earlierAuthor,
    });
    await ctx.settled();
    const comment = buildComment(task, {
      authorId: author.id,
      // The author mentioning themselves and the assignee changes nothing for them.
      mentionedUsers: [mentioned, assigneeId, author.id],
    });
    const event = await ctx.publish('comment.created', comment, { actorId: author.id });
    await ctx.settled();

    expect(await recipientsOf(event)).toEqual({
      [mentioned]: 'comment.mentioned',
      [assigneeId]: 'comment.mentioned',
      [creatorId]: 'comment.created',
      [earlierAuthor]: 'comment.created',
    });
    const toCreator = await Notification.findOne({
      sourceEventId: event.id,
      recipientId: creatorId,
    });
    expect(toCreator).toMatchObject({
      title: 'Bo commented on “Plan <b>sprint</b>”',
      link: `/teams/${task.teamId}/tasks/${task.id}#comment-${comment.id}`,
      taskId: task.id,
      teamId: task.teamId,
    });
    const toMentioned = await Notification.findOne({
      sourceEventId: event.id,
      recipientId: mentioned,
    });
    expect(toMentioned?.title).toBe('Bo mentioned you on “Plan <b>sprint</b>”');

    const board = (await liveMessages(ctx.redis, ctx.redisPrefix)).find(
      (m) => m.type === 'board' && m.event === 'comment.created' && m.data.id === comment.id,
    );
    expect(board).toMatchObject({ teamId: task.teamId, data: { content: comment.content } });
  });

  it('counts as earlier commenters only comments that happened before, also when redelivered', async () => {
    const task = buildTask();
    const first = newId();
    const second = newId();
    const firstComment = await ctx.publish(
      'comment.created',
      buildComment(task, { authorId: first }),
      { actorId: first },
    );
    await ctx.settled();
    const secondComment = await ctx.publish(
      'comment.created',
      buildComment(task, { authorId: second }),
      { actorId: second },
    );
    await ctx.settled();
    // The first comment delivered again after the second: its author's successor is not an
    // "earlier commenter" of it.
    await ctx.bus.js.publish(firstComment.subject, JSON.stringify(firstComment));
    await ctx.settled();

    expect(Object.keys(await recipientsOf(firstComment)).sort()).toEqual([task.creatorId]);
    expect(Object.keys(await recipientsOf(secondComment)).sort()).toEqual(
      [task.creatorId, first].sort(),
    );
    expect(await TaskComment.countDocuments({ taskId: task.id })).toBe(2);
  });

  it('notifies nobody when the author comments on their own unassigned task', async () => {
    const me = newId();
    const task = buildTask({ creatorId: me });
    const event = await ctx.publish('comment.created', buildComment(task, { authorId: me }), {
      actorId: me,
    });
    await ctx.settled();
    expect(await recipientsOf(event)).toEqual({});
  });
});
