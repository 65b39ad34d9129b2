import { handle } from '@taskforge/common';
import { Router } from 'express';
import { signOut } from '../../contracts/sessions';

export function signoutRouter(): Router {
  const router = Router();
  router.post(
    signOut.path,
    handle(signOut, (_input, req, res) => {
      req.session = null;
      res.send({});
    }),
  );
  return router;
}
