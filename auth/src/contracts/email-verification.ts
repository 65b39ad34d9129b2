import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import {
  emailAddress,
  emptyBody,
  invalidInput,
  linkToken,
  sessionCookie,
  suppliedPassword,
  tooMany,
  ownAccountAnswers,
} from './shared';
import { userResponse } from './users';

/* Proving an address is the user's: the account's own, or a new one it changes to. */

export const INVALID_VERIFICATION_LINK = 'This verification link is invalid or has expired';

export const resendVerification = route({
  method: 'post',
  path: '/api/users/me/email-verification',
  tags: ['profile'],
  summary: 'Mail the verification link again',
  description:
    'For the address the account is changing to when a change is under way, else for its ' +
    'own address. A new link replaces the last one. Already verified and no change under ' +
    'way: 409. Limited per user (429).',
  signedIn: true,
  responses: {
    202: { description: 'A link is on its way', body: emptyBody },
    ...ownAccountAnswers,
    409: errorAnswer('The address is verified already'),
  },
});

export const changeEmail = route({
  method: 'post',
  path: '/api/users/me/email',
  tags: ['profile'],
  summary: 'Change the email address',
  description:
    'Needs the password (wrong: 400 "Invalid credentials" on `password`). Mails a link to ' +
    'the new address; the account keeps its address until the link is opened, then takes ' +
    'the new one, verified (`pendingEmail` until then). An address of another account: ' +
    '400 "Email in use" on `email`. Limited per user (429).',
  signedIn: true,
  body: z.object({ email: emailAddress, password: suppliedPassword }),
  responses: {
    202: { description: 'A link is on its way to the new address', body: userResponse },
    400: invalidInput,
    ...ownAccountAnswers,
  },
});

export const confirmEmail = route({
  method: 'post',
  path: '/api/users/email-verification/confirm',
  tags: ['session'],
  summary: 'Verify an address with the token of its link',
  description:
    'Needs no session: the token proves the mailbox. It works once, before it expires ' +
    '(24 hours) and while it is the newest of the account; for a change of address, the ' +
    'account takes the new one. Publishes `user.updated`. A token that does not work: 400 ' +
    `"${INVALID_VERIFICATION_LINK}" on \`token\`; the new address taken ` +
    'by another account meanwhile: 409.',
  body: z.object({ token: linkToken(INVALID_VERIFICATION_LINK) }),
  responses: {
    204: {
      description: 'Verified; a session of this account here gets a renewed cookie',
      headers: sessionCookie,
    },
    400: invalidInput,
    409: errorAnswer('The address was taken by another account meanwhile'),
    429: tooMany,
  },
});
