import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { updateComment } from '../../contracts/comments';
import { commentEventData, editComment } from '../../services/comment-writes';
import { commentResponses, resolveMentions } from '../../services/mentions';

export function updateCommentRouter(deps: { eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    updateComment.path,
    requireAuth,
    handle(updateComment, async ({ body: { content } }, req, res) => {
      const comment = await editComment(
        {
          taskId: req.params.id as string,
          commentId: req.params.commentId as string,
          userId: req.currentUser!.id,
        },
        { adminsToo: false, refusal: 'Only its author may edit a comment' },
        async (comment, task, version) => {
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
