import { handle } from '@taskforge/common';
import { Router } from 'express';
import { showUser } from '../../contracts/users';
import { loadUser, toPublicProfile } from '../../models/user';

/** Mounted last: `/api/users/:id` would otherwise shadow `/me` and `/currentuser`. */
export function showUserRouter(): Router {
  const router = Router();
  router.get(
    showUser.path,
    handle(showUser, async (_input, req, res) => {
      res.send(toPublicProfile(await loadUser(req.params.id as string)));
    }),
  );
  return router;
}
