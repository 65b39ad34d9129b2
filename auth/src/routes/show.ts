import { handle, RequestValidationError } from '@taskforge/common';
import { Router } from 'express';
import { showUser } from '../contracts/users';
import { isUserId, loadUser, toPublicProfile } from '../models/user';

/** Mounted last: `/api/users/:id` would otherwise shadow `/me` and `/currentuser`. */
export function showRouter(): Router {
  const router = Router();
  router.get(
    showUser.path,
    handle(showUser, async (_input, req, res) => {
      const { id } = req.params;
      // ADAPTER: `handle` validates no path parameter (the contract describes its pattern only).
      if (!isUserId(id)) {
        throw new RequestValidationError([{ message: 'User id must be valid', field: 'id' }]);
      }
      res.send(toPublicProfile(await loadUser(id)));
    }),
  );
  return router;
}
