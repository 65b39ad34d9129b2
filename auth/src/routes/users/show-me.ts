import { handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { showMe } from '../../contracts/users';
import { loadUser, toUserResponse } from '../../models/user';

export function showMeRouter(): Router {
  const router = Router();
  router.get(
    showMe.path,
    requireAuth,
    handle(showMe, async (_input, req, res) => {
      const user = await loadUser(req.currentUser!.id);
      res.send(toUserResponse(user));
    }),
  );
  return router;
}
