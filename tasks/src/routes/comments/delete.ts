import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { deleteComment } from '../../contracts/comments';
import { commentEventData, editComment } from '../../services/comment-writes';

export function deleteCommentRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.delete(
    deleteComment.path,
    requireAuth,
    handle(deleteComment, async (_input, req, res) => {
      await editComment(
        {
          taskId: req.params.id as string,
          commentId: req.params.commentId as string,
          userId: req.currentUser!.id,
        },
        { adminsToo: true, refusal: 'Only its author or a team admin may delete a comment' },
        (comment, task, version) => {
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
