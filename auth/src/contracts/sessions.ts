import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import {
  emailAddress,
  emptyBody,
  invalidInput,
  newPassword,
  sessionCookie,
  suppliedPassword,
  tooMany,
  ownAccountAnswers,
} from './shared';
import { sessionUser, userResponse } from './users';

/* Sessions: signing up, in and out, and whom the session cookie belongs to. */

export const signUp = route({
  method: 'post',
  path: '/api/users/signup',
  tags: ['session'],
  summary: 'Create an account and sign in',
  description:
    'Publishes `user.created` (version 0, `emailVerified: false`) and mails a link to ' +
    'verify the address (`email-verification.requested`). An unverified account signs in ' +
    'and works as any other, but cannot be added to a team by email until verified.',
  body: z.object({ email: emailAddress, password: newPassword }),
  responses: {
    201: { description: 'Signed up', headers: sessionCookie, body: userResponse },
    400: errorAnswer('Invalid email or password, malformed JSON, or "Email in use"'),
    429: tooMany,
  },
});

export const signIn = route({
  method: 'post',
  path: '/api/users/signin',
  tags: ['session'],
  summary: 'Sign in',
  description:
    'An unknown email and a wrong password both answer 400 "Invalid credentials". Repeated ' +
    'failures for one email or from one address answer 429 until the window passes.',
  body: z.object({ email: emailAddress, password: suppliedPassword }),
  responses: {
    200: { description: 'Signed in', headers: sessionCookie, body: userResponse },
    400: invalidInput,
    429: tooMany,
  },
});

export const signOut = route({
  method: 'post',
  path: '/api/users/signout',
  tags: ['session'],
  summary: 'Sign out (clears the session cookie)',
  responses: {
    200: { description: 'Signed out', body: emptyBody },
    429: tooMany,
  },
});

export const signOutEverywhere = route({
  method: 'post',
  path: '/api/users/signout-everywhere',
  tags: ['session'],
  summary: 'End every session of the signed-in user, this one included, in every service',
  description:
    'Raises the session version: every service refuses the older session tokens once ' +
    '`user.updated` has reached it (within about a second of the answer) and clears ' +
    'their cookie. Signing in again starts a new session.',
  signedIn: true,
  responses: {
    200: { description: 'Every session ended; this cookie is cleared', body: emptyBody },
    ...ownAccountAnswers,
  },
});

export const currentUser = route({
  method: 'get',
  path: '/api/users/currentuser',
  tags: ['session'],
  summary: 'Who the session cookie belongs to',
  responses: {
    200: {
      description: 'The session token payload, or null without a valid session',
      body: z.object({ currentUser: sessionUser.nullable() }),
    },
    429: tooMany,
  },
});
