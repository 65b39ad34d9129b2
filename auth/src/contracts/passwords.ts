import { route } from '@taskforge/common';
import { z } from 'zod';
import {
  emailAddress,
  emptyBody,
  invalidInput,
  linkToken,
  newPassword,
  suppliedPassword,
  tooMany,
  ownAccountAnswers,
} from './shared';

/* Passwords: changing one, and resetting a forgotten one through a link mailed to the account. */

export const INVALID_RESET_LINK = 'This reset link is invalid or has expired';

export const changePassword = route({
  method: 'post',
  path: '/api/users/me/password',
  tags: ['profile'],
  summary: 'Change the password',
  description:
    'Needs the current password (wrong: 400 "Invalid credentials" on `currentPassword`). ' +
    'Sets `passwordChangedAt` and ends every other session of the user in every service ' +
    '(as sign out everywhere does); this one goes on with a new session cookie. ' +
    'Answers 204 with no body.',
  signedIn: true,
  body: z.object({ currentPassword: suppliedPassword, newPassword }),
  responses: {
    204: { description: 'Password changed' },
    400: invalidInput,
    ...ownAccountAnswers,
  },
});

export const requestPasswordReset = route({
  method: 'post',
  path: '/api/users/password-reset',
  tags: ['session'],
  summary: 'Ask for a password reset link by email',
  description:
    'Always 202, whether or not the address has an account. For one that has, a link that ' +
    'works once goes out by email (notifications), valid for 30 minutes and until a newer ' +
    'request. Limited per address and per email (429).',
  body: z.object({ email: emailAddress }),
  responses: {
    202: {
      description: 'Accepted: a link is on its way if the address has an account',
      body: emptyBody,
    },
    400: invalidInput,
    429: tooMany,
  },
});

export const confirmPasswordReset = route({
  method: 'post',
  path: '/api/users/password-reset/confirm',
  tags: ['session'],
  summary: 'Set a new password with the token of a reset link',
  description:
    'The token works once, before it expires and while it is the newest of the account. ' +
    'Ends every session of the account; sign in with the new password. A token that does ' +
    `not work: 400 "${INVALID_RESET_LINK}" on \`token\`.`,
  body: z.object({ token: linkToken(INVALID_RESET_LINK), password: newPassword }),
  responses: {
    204: { description: 'Password set; every session of the account ended' },
    400: invalidInput,
    429: tooMany,
  },
});
