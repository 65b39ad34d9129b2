import { requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Inbox } from '../services/inbox';

export function readAllNotificationsRouter(deps: { inbox: Inbox }): Router {
  const router = Router();
  router.post('/api/notifications/read-all', requireAuth, async (req, res) => {
    res.send(await deps.inbox.markAllRead(req.currentUser!.id));
  });
  return router;
}
