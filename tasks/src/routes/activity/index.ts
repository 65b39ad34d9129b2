import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { Router } from 'express';
import { listActivity, type ActivityResponse } from '../../contracts/activity';
import { Activity, type ActivityAttrs } from '../../models/activity';
import { findTaskWithAccess } from '../../services/task-writes';

function toActivityResponse(entry: ActivityAttrs): ActivityResponse {
  const response: ActivityResponse = {
    id: entry._id,
    type: entry.type,
    actorId: entry.actorId,
    at: entry.at.toISOString(),
    changes: entry.changes.map(({ field, from, to }) => ({ field, from, to })),
  };
  if (entry.commentId) response.commentId = entry.commentId;
  if (entry.attachment)
    response.attachment = { id: entry.attachment.id, name: entry.attachment.name };
  return response;
}

/** A task's history, newest first, one keyset page at a time. */
export function indexActivityRouter(): Router {
  const router = Router();
  router.get(
    listActivity.path,
    requireAuth,
    handle(listActivity, async ({ query: page }, req, res) => {
      const { task } = await findTaskWithAccess(req.params.id as string, req.currentUser!.id);
      const filter: Record<string, unknown> = { taskId: task._id.toString() };
      if (page.cursor) {
        const { at, id } = page.cursor;
        filter.$or = [{ at: { $lt: at } }, { at, _id: { $lt: id } }];
      }
      const entries = await Activity.find(filter)
        .sort({ at: -1, _id: -1 })
        .limit(page.limit + 1)
        .lean<ActivityAttrs[]>();
      const items = sendPageHeaders(req, res, entries, page.limit, (last) =>
        encodeTimeCursor({ at: last.at, id: last._id }),
      );
      res.send(items.map(toActivityResponse));
    }),
  );
  return router;
}
