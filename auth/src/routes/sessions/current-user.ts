import { handle } from '@taskforge/common';
import { Router } from 'express';
import { currentUser } from '../../contracts/sessions';

/** The token's payload, as the reference app answers; no database read on this hot path. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get(
    currentUser.path,
    handle(currentUser, (_input, req, res) => {
      res.send({ currentUser: req.currentUser ?? null });
    }),
  );
  return router;
}
