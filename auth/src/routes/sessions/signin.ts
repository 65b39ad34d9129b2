import { BadRequestError, handle } from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../../config';
import { signIn } from '../../contracts/sessions';
import { toUserResponse, User } from '../../models/user';
import { addressLimits } from '../../services/address-limits';
import { UNMATCHABLE_HASH, verifyPassword } from '../../services/password';
import { startSession } from '../../services/session';

export interface SigninDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
}

export function signinRouter(deps: SigninDeps): Router {
  const { config } = deps;
  const { perIp: failuresPerIp, perEmail: failuresPerEmail } = addressLimits(deps, {
    name: 'signin',
    windowMs: config.SIGNIN_WINDOW_MS,
    maxPerIp: config.SIGNIN_MAX_FAILURES_PER_IP,
    maxPerEmail: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
    message: 'Too many failed sign-in attempts, please try again later',
    failuresOnly: true,
  });

  const router = Router();
  router.post(
    signIn.path,
    failuresPerIp,
    handle(signIn, async ({ body: { email, password } }, req, res) => {
      await failuresPerEmail(req, res);
      const user = await User.findOne({ email }).select('+passwordHash');
      // An unknown email costs the same scrypt run as a wrong password.
      const matches = await verifyPassword(password, user?.passwordHash ?? UNMATCHABLE_HASH);
      if (!user || !matches) throw new BadRequestError('Invalid credentials');

      // Not replicated, so not a new version: a plain update, no event.
      const now = new Date();
      await User.updateOne({ _id: user._id }, { $set: { lastLoginAt: now } });
      user.lastLoginAt = now;

      startSession(req, user, config);
      res.status(200).send(toUserResponse(user));
    }),
  );
  return router;
}
