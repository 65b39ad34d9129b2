import { handle, NotFoundError, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { readNotification } from '../../contracts/notifications';
import { toNotificationResponse } from '../../models/notification';
import type { Inbox } from '../../services/inbox';

/** Marks one of the user's notifications read; anyone else's is answered 404, as if absent. */
export function readNotificationRouter(deps: { inbox: Inbox }): Router {
  const router = Router();
  router.post(
    readNotification.path,
    requireAuth,
    handle(readNotification, async (_input, req, res) => {
      const notification = await deps.inbox.markRead(req.currentUser!.id, req.params.id as string);
      if (!notification) throw new NotFoundError('Notification not found');
      res.send(toNotificationResponse(notification));
    }),
  );
  return router;
}
