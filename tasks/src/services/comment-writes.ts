import type { EventData } from '@taskforge/common';
import type { CommentDocument } from '../models/comment';
import type { TaskDocument } from '../models/task';

/** What `comment.*` events carry: the comment and what notifications needs of its task. */
export function commentEventData(
  comment: CommentDocument,
  task: TaskDocument,
  version: number,
): EventData<'comment.created'> {
  return {
    id: comment._id.toString(),
    version,
    taskId: comment.taskId,
    teamId: comment.teamId,
    taskTitle: task.title,
    taskCreatorId: task.creatorId,
    taskAssigneeId: task.assigneeId,
    authorId: comment.authorId,
    content: comment.content,
    mentionedUsers: [...comment.mentionedUsers],
  };
}
