import { NotFoundError, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { param } from 'express-validator';
import { findUserById, toPublicProfile } from '../models/user';

/** Mounted last: `/api/users/:id` would otherwise shadow `/me` and `/currentuser`. */
export function showRouter(): Router {
  const router = Router();
  router.get(
    '/api/users/:id',
    param('id').isMongoId().withMessage('User id must be valid'),
    validateRequest,
    async (req, res) => {
      const user = await findUserById(req.params.id as string);
      if (!user) throw new NotFoundError('User not found');
      res.send(toPublicProfile(user));
    },
  );
  return router;
}
