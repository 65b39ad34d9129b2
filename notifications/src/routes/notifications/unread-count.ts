import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { showUnreadCount } from '../../contracts/notifications';
import type { Inbox } from '../../services/inbox';

export function unreadCountRouter(deps: { inbox: Inbox }): Router {
  const router = Router();
  router.get(
    showUnreadCount.path,
    requireAuth,
    handle(showUnreadCount, async (_input, req, res) => {
      res.send({ count: await deps.inbox.unreadCount(req.currentUser!.id) });
    }),
  );
  return router;
}
