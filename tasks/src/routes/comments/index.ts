import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import { listComments } from '../../contracts/comments';
import { Comment, type CommentAttrs } from '../../models/comment';
import { commentResponses } from '../../services/mentions';
import { findTaskWithAccess } from '../../services/task-writes';

/** A task's comments, oldest first, one keyset page at a time. */
export function indexCommentRouter(): Router {
  const router = Router();
  router.get(
    listComments.path,
    requireAuth,
    handle(listComments, async ({ query: page }, req, res) => {
      const { task } = await findTaskWithAccess(req.params.id as string, req.currentUser!.id);
      const filter: Record<string, unknown> = { taskId: task._id.toString(), deletedAt: null };
      if (page.cursor) {
        const { at, id } = page.cursor;
        filter.$or = [{ createdAt: { $gt: at } }, { createdAt: at, _id: { $gt: id } }];
      }
      const comments = await Comment.find(filter, { outbox: 0 })
        .sort({ createdAt: 1, _id: 1 })
        .limit(page.limit + 1)
        .lean<Array<CommentAttrs & { _id: unknown }>>();
      const items = sendPageHeaders(req, res, comments, page.limit, (last) =>
        encodeTimeCursor({ at: last.createdAt, id: String(last._id) }),
      );
      res.send(await commentResponses(items));
    }),
  );
  return router;
}
