import {
  editDocument,
  eventMetadataFrom,
  ForbiddenError,
  handle,
  NotFoundError,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import { updateComment } from '../../contracts/comments';
import { findComment } from '../../models/comment';
import { commentEventData } from '../../services/comment-writes';
import { commentResponses, resolveMentions } from '../../services/mentions';
import { findTaskWithAccess } from '../../services/task-writes';

export function updateCommentRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    updateComment.path,
    requireAuth,
    handle(updateComment, async ({ body: { content } }, req, res) => {
      const userId = req.currentUser!.id;
      const commentId = req.params.commentId as string;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      const comment = await editDocument(
        async () => {
          const comment = await findComment(task._id.toString(), commentId);
          if (!comment) throw new NotFoundError('Comment not found');
          if (comment.authorId !== userId || access.role === 'guest') {
            throw new ForbiddenError('Only its author may edit a comment');
          }
          return comment;
        },
        async (comment, version) => {
          if (content === comment.content) return [];
          comment.content = content;
          comment.mentionedUsers = await resolveMentions(task.teamId, content);
          comment.editedAt = new Date();
          return [{ subject: 'comment.updated', data: commentEventData(comment, task, version) }];
        },
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      const [response] = await commentResponses([comment]);
      res.send(response);
    }),
  );
  return router;
}
