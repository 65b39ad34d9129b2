import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { readAllNotifications } from '../../contracts/notifications';
import type { Inbox } from '../../services/inbox';

export function readAllNotificationsRouter(deps: { inbox: Inbox }): Router {
  const router = Router();
  router.post(
    readAllNotifications.path,
    requireAuth,
    handle(readAllNotifications, async (_input, req, res) => {
      res.send(await deps.inbox.markAllRead(req.currentUser!.id));
    }),
  );
  return router;
}
