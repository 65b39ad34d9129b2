import { eventMetadataFrom, handle, requireAuth, type Logger } from '@taskforge/common';
import { Router } from 'express';
import { createComment } from '../../contracts/comments';
import { Comment } from '../../models/comment';
import { recordActivityAfterWrite } from '../../services/activity';
import { requirePermission } from '../../services/authorization';
import { commentEventData } from '../../services/comment-writes';
import { commentResponses, resolveMentions } from '../../services/mentions';
import { editWithEvents, findTaskWithAccess } from '../../services/task-writes';

export function newCommentRouter(deps: { logger: Logger; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    createComment.path,
    requireAuth,
    handle(createComment, async ({ body: { content } }, req, res) => {
      const userId = req.currentUser!.id;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      requirePermission(access, 'comment.create');
      const mentionedUsers = await resolveMentions(task.teamId, content);
      const { doc: comment, events } = await editWithEvents(
        async () =>
          new Comment({
            taskId: task._id.toString(),
            teamId: task.teamId,
            authorId: userId,
            content,
            mentionedUsers,
          }),
        (comment, version) => [
          { subject: 'comment.created', data: commentEventData(comment, task, version) },
        ],
        { metadata: eventMetadataFrom(req), eventsRecorded: deps.eventsRecorded },
      );
      await recordActivityAfterWrite(events, deps.logger);
      const [response] = await commentResponses([comment]);
      res.status(201).send(response);
    }),
  );
  return router;
}
