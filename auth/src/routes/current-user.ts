import { Router } from 'express';

/** The token's payload, as the reference app answers; no database read on this hot path. */
export function currentUserRouter(): Router {
  const router = Router();
  router.get('/api/users/currentuser', (req, res) => {
    res.send({ currentUser: req.currentUser ?? null });
  });
  return router;
}
