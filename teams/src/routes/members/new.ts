import {
  eventMetadataFrom,
  isEmailAddress,
  requireAuth,
  validateRequest,
  type Role,
} from '@taskforge/common';
import { Router } from 'express';
import { body, matchedData, oneOf } from 'express-validator';
import type { Pool } from 'pg';
import { addMember, type MemberTarget } from '../../services/membership-writes';
import { toMemberResponse } from '../responses';
import { isUserId, roleField, teamIdParam } from '../validators';

export function newMemberRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    '/api/teams/:id/members',
    requireAuth,
    teamIdParam,
    body('email')
      .optional()
      .isString()
      .withMessage('Email must be a string')
      .bail()
      .trim()
      .custom(isEmailAddress)
      .withMessage('Email must be valid'),
    body('userId')
      .optional()
      .custom((value) => typeof value === 'string' && isUserId(value))
      .withMessage('userId must be a user id'),
    oneOf(
      [
        [body('email').exists(), body('userId').not().exists()],
        [body('userId').exists(), body('email').not().exists()],
      ],
      { message: 'Give either email or userId' },
    ),
    roleField({ optional: true }),
    validateRequest,
    async (req, res) => {
      const input = matchedData<{ email?: string; userId?: string; role?: Role }>(req, {
        locations: ['body'],
      });
      const target: MemberTarget =
        input.email !== undefined ? { email: input.email } : { userId: input.userId! };
      const { membership, user } = await addMember(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        target,
        input.role ?? 'member',
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(201).send(toMemberResponse(membership, user));
    },
  );
  return router;
}
