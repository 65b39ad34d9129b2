import {
  editDocument,
  ForbiddenError,
  NotFoundError,
  type EventData,
  type EventMetadata,
  type RecordedEvent,
} from '@taskforge/common';
import { findComment, type CommentDocument } from '../models/comment';
import type { TaskDocument } from '../models/task';
import { findTaskWithAccess } from './task-writes';

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

/** Who besides its author may make a change, and what the others are told. */
export interface CommentRule {
  adminsToo: boolean;
  refusal: string;
}

/**
 * The write path of a comment's edit and deletion: the comment of a task the user can see
 * (strangers get 404, as if neither existed), changed by its author (a guest author no longer
 * may) or, where the rule says so, a team admin; saved with the events `change` returns.
 */
export async function editComment(
  target: { taskId: string; commentId: string; userId: string },
  rule: CommentRule,
  change: (
    comment: CommentDocument,
    task: TaskDocument,
    version: number,
  ) => Promise<RecordedEvent[]> | RecordedEvent[],
  options: { metadata: EventMetadata; eventsRecorded: () => void },
): Promise<CommentDocument> {
  const { task, access } = await findTaskWithAccess(target.taskId, target.userId);
  return editDocument(
    async () => {
      const comment = await findComment(task._id.toString(), target.commentId);
      if (!comment) throw new NotFoundError('Comment not found');
      const isAuthor = comment.authorId === target.userId && access.role !== 'guest';
      if (!isAuthor && !(rule.adminsToo && access.role === 'admin')) {
        throw new ForbiddenError(rule.refusal);
      }
      return comment;
    },
    (comment, version) => change(comment, task, version),
    options,
  );
}
