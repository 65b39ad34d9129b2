import { BadRequestError, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { openStream } from '../../contracts/notifications';
import { STREAM_ID } from '../../live/live-feed';
import type { StreamHub } from '../../live/stream-hub';

/**
 * Server-Sent Events for the signed-in user: new notifications, unread-count changes and board
 * changes of their teams. A reconnecting browser sends `Last-Event-ID` and gets what it missed.
 */
export function streamRouter(deps: { hub: StreamHub }): Router {
  const router = Router();
  router.get(
    openStream.path,
    requireAuth,
    handle(openStream, async (_input, req, res) => {
      const lastEventId = req.get('last-event-id')?.trim() || undefined;
      if (lastEventId !== undefined && !STREAM_ID.test(lastEventId)) {
        throw new BadRequestError('Last-Event-ID is not an id this stream sent', 'Last-Event-ID');
      }
      await deps.hub.open(req.currentUser!.id, res, lastEventId);
    }),
  );
  return router;
}
