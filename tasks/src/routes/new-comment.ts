import {
  eventMetadataFrom,
  handle,
  recordEvent,
  requireAuth,
  type Logger,
} from '@taskforge/common';
import { Router } from 'express';
import { createComment } from '../contracts/comments';
import { Comment } from '../models/comment';
import { recordActivityAfterWrite } from '../services/activity';
import { requirePermission } from '../services/authorization';
import { commentEventData } from '../services/comment-writes';
import { commentResponses, resolveMentions } from '../services/mentions';
import { findTaskWithAccess } from '../services/task-writes';

export function newCommentRouter(deps: { logger: Logger; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    createComment.path,
    requireAuth,
    handle(createComment, async ({ body: { content } }, req, res) => {
      const userId = req.currentUser!.id;
      const { task, access } = await findTaskWithAccess(req.params.id as string, userId);
      requirePermission(access, 'comment.create');
      const comment = new Comment({
        taskId: task._id.toString(),
        teamId: task.teamId,
        authorId: userId,
        content,
        mentionedUsers: await resolveMentions(task.teamId, content),
      });
      const event = recordEvent(
        comment,
        'comment.created',
        commentEventData(comment, task, 0),
        eventMetadataFrom(req),
      );
      await comment.save();
      deps.eventsRecorded();
      await recordActivityAfterWrite([event], deps.logger);
      const [response] = await commentResponses([comment]);
      res.status(201).send(response);
    }),
  );
  return router;
}
