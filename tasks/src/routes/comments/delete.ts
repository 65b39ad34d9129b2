import {
  editDocument,
  eventMetadataFrom,
  ForbiddenError,
  handle,
  NotFoundError,
  requireAuth,
} from '@taskforge/common';
import { Router } from 'express';
import { deleteComment } from '../../contracts/comments';
import { findComment } from '../../models/comment';
import { commentEventData } from '../../services/comment-writes';
import { findTaskWithAccess } from '../../services/task-writes';

export function deleteCommentRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    deleteComment.path,
    requireAuth,
    handle(deleteComment, async (_input, req, res) => {
      const userId = req.currentUser!.id;
      const commentId = req.params.commentId as string;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      await editDocument(
        async () => {
          const comment = await findComment(task._id.toString(), commentId);
          if (!comment) throw new NotFoundError('Comment not found');
          const isAuthor = comment.authorId === userId && access.role !== 'guest';
          if (!isAuthor && access.role !== 'admin') {
            throw new ForbiddenError('Only its author or a team admin may delete a comment');
          }
          return comment;
        },
        (comment, version) => {
          // Soft delete: the document keeps its outbox until the relay has published.
          comment.deletedAt = new Date();
          return [{ subject: 'comment.deleted', data: commentEventData(comment, task, version) }];
        },
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      res.status(204).end();
    }),
  );
  return router;
}
