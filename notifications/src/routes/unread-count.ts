import { requireAuth } from '@taskforge/common';
import { Router } from 'express';
import type { Inbox } from '../services/inbox';

export function unreadCountRouter(deps: { inbox: Inbox }): Router {
  const router = Router();
  router.get('/api/notifications/unread-count', requireAuth, async (req, res) => {
    res.send({ count: await deps.inbox.unreadCount(req.currentUser!.id) });
  });
  return router;
}
