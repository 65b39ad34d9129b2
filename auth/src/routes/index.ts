import type { SessionVersions } from '@taskforge/common';
import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config';
import { verificationEmailLimiter } from '../services/email-verification';
import { changeEmailRouter } from './email-verification/change-email';
import { confirmEmailRouter } from './email-verification/confirm';
import { resendVerificationRouter } from './email-verification/resend';
import { changePasswordRouter } from './passwords/change';
import { confirmPasswordResetRouter } from './passwords/confirm-reset';
import { requestPasswordResetRouter } from './passwords/reset';
import { currentUserRouter } from './sessions/current-user';
import { signinRouter } from './sessions/signin';
import { signoutRouter } from './sessions/signout';
import { signoutEverywhereRouter } from './sessions/signout-everywhere';
import { signupRouter } from './sessions/signup';
import { deleteMeRouter } from './users/delete-me';
import { showUserRouter } from './users/show';
import { showMeRouter } from './users/show-me';
import { updateMeRouter } from './users/update-me';

export interface AuthRouterDeps {
  config: AuthConfig;
  redis: Redis;
  redisPrefix: string;
  eventsRecorded: () => void;
  sessions: SessionVersions;
}

/** Every router of the auth API, in the order app.ts mounts them. */
export function authRouters(deps: AuthRouterDeps): Router[] {
  // Asking again and changing the address mail someone: one bucket per user for both.
  const perUser = verificationEmailLimiter(deps);
  return [
    signupRouter(deps),
    signinRouter(deps),
    signoutRouter(),
    signoutEverywhereRouter(deps),
    currentUserRouter(),
    showMeRouter(),
    updateMeRouter(deps),
    deleteMeRouter(deps),
    resendVerificationRouter({ ...deps, perUser }),
    changeEmailRouter({ ...deps, perUser }),
    confirmEmailRouter(deps),
    changePasswordRouter(deps),
    requestPasswordResetRouter(deps),
    confirmPasswordResetRouter(deps),
    // Last: `/api/users/:id` would otherwise shadow `/me` and `/currentuser`.
    showUserRouter(),
  ];
}
