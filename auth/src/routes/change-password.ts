import { BadRequestError, NotFoundError, requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { findUserById, User } from '../models/user';
import { hashPassword, verifyPassword } from '../services/password';
import { newPasswordField, suppliedPasswordField } from './validators';

/** Answers 204. Credentials are not replicated, so no version bump and no event. */
export function changePasswordRouter(): Router {
  const router = Router();
  router.post(
    '/api/users/me/password',
    requireAuth,
    suppliedPasswordField('currentPassword'),
    newPasswordField('newPassword'),
    validateRequest,
    async (req, res) => {
      const { currentPassword, newPassword } = req.body as {
        currentPassword: string;
        newPassword: string;
      };
      const user = await findUserById(req.currentUser!.id, { withPasswordHash: true });
      if (!user) throw new NotFoundError('User not found');
      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        throw new BadRequestError('Invalid credentials', 'currentPassword');
      }
      const passwordHash = await hashPassword(newPassword);
      await User.updateOne(
        { _id: user._id },
        { $set: { passwordHash, passwordChangedAt: new Date() } },
      );
      res.status(204).end();
    },
  );
  return router;
}
