import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { earlierCommenters, recordComment } from '../../replicas/task-comment';
import type { NotificationDraft } from '../../services/notifier';
import { links, quoted } from '../../services/links';
import { nameOf, sourceOf, type ListenerDeps } from '../listener-deps';

/**
 * Mentioned users hear "mentioned you"; the task's creator, its assignee and everyone who
 * commented on it before hear "commented". Never the author.
 */
export class CommentCreatedListener extends Listener<'comment.created'> {
  readonly subject = 'comment.created' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(
    data: EventData<'comment.created'>,
    context: ListenerContext<'comment.created'>,
  ): Promise<HandleResult> {
    const { event } = context;
    const occurredAt = new Date(event.occurredAt);
    await recordComment({ _id: data.id, taskId: data.taskId, authorId: data.authorId, occurredAt });
    const earlier = await earlierCommenters(data.taskId, occurredAt);

    const author = await nameOf(data.authorId);
    const about = {
      link: links.comment(data.teamId, data.taskId, data.id),
      teamId: data.teamId,
      taskId: data.taskId,
      actorName: author,
    };
    const mentioned = `${author} mentioned you on ${quoted(data.taskTitle)}`;
    const commented = `${author} commented on ${quoted(data.taskTitle)}`;
    const drafts: NotificationDraft[] = [
      ...data.mentionedUsers.map((recipientId) => ({
        ...about,
        recipientId,
        kind: 'comment.mentioned' as const,
        title: mentioned,
      })),
      ...[data.taskCreatorId, data.taskAssigneeId, ...earlier].flatMap((recipientId) =>
        recipientId
          ? [{ ...about, recipientId, kind: 'comment.created' as const, title: commented }]
          : [],
      ),
    ].filter((draft) => draft.recipientId !== data.authorId);

    await this.deps.notifier.notify(
      sourceOf(context, event.metadata.actorId ?? data.authorId),
      drafts,
    );
    await this.deps.notifier.publishBoard('comment.created', data.teamId, data);
    return 'ack';
  }
}
