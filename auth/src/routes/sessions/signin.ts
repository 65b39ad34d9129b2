import { BadRequestError, createRateLimiter, handle, ipKey } from '@taskforge/common';
import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../../config';
import { afterValidation } from '../../contracts/after-validation';
import { signIn } from '../../contracts/sessions';
import { emailAddress } from '../../contracts/shared';
import { toUserResponse, User } from '../../models/user';
import { UNMATCHABLE_HASH, verifyPassword } from '../../services/password';
import { startSession } from '../../services/session';

export interface SigninDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
}

export function signinRouter({ config, redis, redisPrefix }: SigninDeps): Router {
  const message = 'Too many failed sign-in attempts, please try again later';
  // Only failures count (a 4xx answer), so a user who signs in often is never locked out.
  const failuresPerIp = createRateLimiter({
    redis,
    prefix: `${redisPrefix}:signin-ip`,
    windowMs: config.SIGNIN_WINDOW_MS,
    limit: config.SIGNIN_MAX_FAILURES_PER_IP,
    skipSuccessfulRequests: true,
    // Per address even when signed in: one session must not buy a fresh bucket of guesses.
    keyGenerator: ipKey,
    message,
  });
  const failuresPerEmail = afterValidation(
    createRateLimiter({
      redis,
      prefix: `${redisPrefix}:signin-email`,
      windowMs: config.SIGNIN_WINDOW_MS,
      limit: config.SIGNIN_MAX_FAILURES_PER_EMAIL,
      skipSuccessfulRequests: true,
      // Runs after validation: the address as validated, trimmed and lower-cased.
      keyGenerator: (req) => emailAddress.parse((req.body as { email: unknown }).email),
      message,
    }),
  );

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
