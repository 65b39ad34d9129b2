import {
  EMAIL_MAX_LENGTH,
  errorResponseSchema,
  NOTIFICATION_FREQUENCIES,
  openApi,
  THEMES,
} from '@taskforge/common';
import { PROFILE_LIMITS } from './models/user';
import { PASSWORD_LENGTH } from './routes/validators';

const { ref, json } = openApi;
const nullableString = (extra: object = {}) => ({ type: ['string', 'null'], ...extra });

const errors = {
  400: { description: 'Invalid input', content: json(ref('ErrorResponse')) },
  401: { description: 'Not signed in', content: json(ref('ErrorResponse')) },
  404: { description: 'No such user', content: json(ref('ErrorResponse')) },
  409: {
    description: 'The user was changed by other requests too often to apply this one; retry',
    content: json(ref('ErrorResponse')),
  },
  429: openApi.tooManyRequests(),
};

const sessionCookie = {
  'Set-Cookie': {
    description: 'The `session` cookie holding the signed JWT',
    schema: { type: 'string' },
  },
};

const credentials = {
  type: 'object',
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH },
    password: { type: 'string', minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max },
  },
};

/** OpenAPI 3.1 description of the auth API; tests check every route's real answers against it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'TaskForge auth',
    version: '0.1.0',
    description:
      'Sign up, sign in and out, profiles and preferences. The session is a JWT (ES256) in the ' +
      '`session` cookie; other services verify it with the public key.',
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'session' }, { name: 'profile' }],
  paths: {
    '/api/users/signup': {
      post: {
        tags: ['session'],
        summary: 'Create an account and sign in',
        description:
          'Publishes `user.created` (version 0, `emailVerified: false`) and mails a link to ' +
          'verify the address (`email-verification.requested`). An unverified account signs in ' +
          'and works as any other, but cannot be added to a team by email until verified.',
        requestBody: { required: true, content: json(credentials) },
        responses: {
          201: { description: 'Signed up', headers: sessionCookie, content: json(ref('User')) },
          400: {
            description: 'Invalid email or password, malformed JSON, or "Email in use"',
            content: json(ref('ErrorResponse')),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/signin': {
      post: {
        tags: ['session'],
        summary: 'Sign in',
        description:
          'An unknown email and a wrong password both answer 400 "Invalid credentials". Repeated ' +
          'failures for one email or from one address answer 429 until the window passes.',
        requestBody: {
          required: true,
          content: json({
            ...credentials,
            properties: { ...credentials.properties, password: { type: 'string' } },
          }),
        },
        responses: {
          200: { description: 'Signed in', headers: sessionCookie, content: json(ref('User')) },
          400: errors[400],
          429: errors[429],
        },
      },
    },
    '/api/users/signout': {
      post: {
        tags: ['session'],
        summary: 'Sign out (clears the session cookie)',
        responses: {
          200: {
            description: 'Signed out',
            content: json({ type: 'object', additionalProperties: false }),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/signout-everywhere': {
      post: {
        tags: ['session'],
        summary: 'End every session of the signed-in user, this one included, in every service',
        description:
          'Raises the session version: every service refuses the older session tokens once ' +
          '`user.updated` has reached it (within about a second of the answer) and clears ' +
          'their cookie. Signing in again starts a new session.',
        security: [{ session: [] }],
        responses: {
          200: {
            description: 'Every session ended; this cookie is cleared',
            content: json({ type: 'object', additionalProperties: false }),
          },
          401: errors[401],
          404: errors[404],
          429: errors[429],
        },
      },
    },
    '/api/users/currentuser': {
      get: {
        tags: ['session'],
        summary: 'Who the session cookie belongs to',
        responses: {
          200: {
            description: 'The session token payload, or null without a valid session',
            content: json({
              type: 'object',
              required: ['currentUser'],
              additionalProperties: false,
              properties: { currentUser: { oneOf: [{ type: 'null' }, ref('SessionUser')] } },
            }),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/me': {
      get: {
        tags: ['profile'],
        summary: 'The signed-in user',
        security: [{ session: [] }],
        responses: {
          200: { description: 'The user', content: json(ref('User')) },
          401: errors[401],
          404: errors[404],
          429: errors[429],
        },
      },
      patch: {
        tags: ['profile'],
        summary: 'Change profile fields and preferences (partial update)',
        description:
          'Only the given fields change; null (or an empty string) clears a text field. Unknown ' +
          'fields are rejected. Publishes `user.updated` with the new version when anything changed.',
        security: [{ session: [] }],
        requestBody: { required: true, content: json(ref('ProfileUpdate')) },
        responses: {
          200: { description: 'The updated user', content: json(ref('User')) },
          400: errors[400],
          401: errors[401],
          404: errors[404],
          409: errors[409],
          429: errors[429],
        },
      },
      delete: {
        tags: ['profile'],
        summary: 'Delete the account',
        description:
          'Needs the password (wrong: 400 "Invalid credentials" on `password`). Refused (409) ' +
          'while the user is the last admin of a team: another member must be made admin, or ' +
          'the team deleted, first. Publishes `user.deleted`: every session ends, every service ' +
          'forgets what it holds of the user (their memberships end through teams, their inbox ' +
          'and pending emails go; tasks and comments stay, by an unknown user). The address can ' +
          'sign up again as a new account. Answers 204 with no body and clears the cookie.',
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['password'],
            additionalProperties: false,
            properties: { password: { type: 'string' } },
          }),
        },
        responses: {
          204: { description: 'Account deleted; this cookie is cleared' },
          400: errors[400],
          401: errors[401],
          404: errors[404],
          409: {
            description:
              'The user is the last admin of a team (the message names it), or the account was ' +
              'changed by other requests too often; nothing was deleted',
            content: json(ref('ErrorResponse')),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/password-reset': {
      post: {
        tags: ['session'],
        summary: 'Ask for a password reset link by email',
        description:
          'Always 202, whether or not the address has an account. For one that has, a link that ' +
          'works once goes out by email (notifications), valid for 30 minutes and until a newer ' +
          'request. Limited per address and per email (429).',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['email'],
            additionalProperties: false,
            properties: { email: credentials.properties.email },
          }),
        },
        responses: {
          202: {
            description: 'Accepted: a link is on its way if the address has an account',
            content: json({ type: 'object', additionalProperties: false }),
          },
          400: errors[400],
          429: errors[429],
        },
      },
    },
    '/api/users/password-reset/confirm': {
      post: {
        tags: ['session'],
        summary: 'Set a new password with the token of a reset link',
        description:
          'The token works once, before it expires and while it is the newest of the account. ' +
          'Ends every session of the account; sign in with the new password. A token that does ' +
          'not work: 400 "This reset link is invalid or has expired" on `token`.',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['token', 'password'],
            additionalProperties: false,
            properties: {
              token: { type: 'string', minLength: 32, maxLength: 128 },
              password: credentials.properties.password,
            },
          }),
        },
        responses: {
          204: { description: 'Password set; every session of the account ended' },
          400: errors[400],
          429: errors[429],
        },
      },
    },
    '/api/users/me/email-verification': {
      post: {
        tags: ['profile'],
        summary: 'Mail the verification link again',
        description:
          'For the address the account is changing to when a change is under way, else for its ' +
          'own address. A new link replaces the last one. Already verified and no change under ' +
          'way: 409. Limited per user (429).',
        security: [{ session: [] }],
        responses: {
          202: {
            description: 'A link is on its way',
            content: json({ type: 'object', additionalProperties: false }),
          },
          401: errors[401],
          404: errors[404],
          409: {
            description: 'The address is verified already',
            content: json(ref('ErrorResponse')),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/me/email': {
      post: {
        tags: ['profile'],
        summary: 'Change the email address',
        description:
          'Needs the password (wrong: 400 "Invalid credentials" on `password`). Mails a link to ' +
          'the new address; the account keeps its address until the link is opened, then takes ' +
          'the new one, verified (`pendingEmail` until then). An address of another account: ' +
          '400 "Email in use" on `email`. Limited per user (429).',
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['email', 'password'],
            additionalProperties: false,
            properties: { email: credentials.properties.email, password: { type: 'string' } },
          }),
        },
        responses: {
          202: {
            description: 'A link is on its way to the new address',
            content: json(ref('User')),
          },
          400: errors[400],
          401: errors[401],
          404: errors[404],
          429: errors[429],
        },
      },
    },
    '/api/users/email-verification/confirm': {
      post: {
        tags: ['session'],
        summary: 'Verify an address with the token of its link',
        description:
          'Needs no session: the token proves the mailbox. It works once, before it expires ' +
          '(24 hours) and while it is the newest of the account; for a change of address, the ' +
          'account takes the new one. Publishes `user.updated`. A token that does not work: 400 ' +
          '"This verification link is invalid or has expired" on `token`; the new address taken ' +
          'by another account meanwhile: 409.',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['token'],
            additionalProperties: false,
            properties: { token: { type: 'string', minLength: 32, maxLength: 128 } },
          }),
        },
        responses: {
          204: {
            description: 'Verified; a session of this account here gets a renewed cookie',
            headers: sessionCookie,
          },
          400: errors[400],
          409: {
            description: 'The address was taken by another account meanwhile',
            content: json(ref('ErrorResponse')),
          },
          429: errors[429],
        },
      },
    },
    '/api/users/me/password': {
      post: {
        tags: ['profile'],
        summary: 'Change the password',
        description:
          'Needs the current password (wrong: 400 "Invalid credentials" on `currentPassword`). ' +
          'Sets `passwordChangedAt` and ends every other session of the user in every service ' +
          '(as sign out everywhere does); this one goes on with a new session cookie. ' +
          'Answers 204 with no body.',
        security: [{ session: [] }],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['currentPassword', 'newPassword'],
            additionalProperties: false,
            properties: {
              currentPassword: { type: 'string' },
              newPassword: credentials.properties.password,
            },
          }),
        },
        responses: {
          204: { description: 'Password changed' },
          400: errors[400],
          401: errors[401],
          404: errors[404],
          429: errors[429],
        },
      },
    },
    '/api/users/{id}': {
      get: {
        tags: ['profile'],
        summary: "A user's public profile",
        parameters: [
          {
            name: 'id',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^[0-9a-fA-F]{24}$' },
          },
        ],
        responses: {
          200: { description: 'Public fields only', content: json(ref('PublicUser')) },
          400: { description: 'Malformed id', content: json(ref('ErrorResponse')) },
          404: errors[404],
          429: errors[429],
        },
      },
    },
  },
  components: {
    securitySchemes: openApi.sessionSecurityScheme,
    schemas: {
      ErrorResponse: errorResponseSchema,
      SessionUser: {
        type: 'object',
        required: ['id', 'email'],
        properties: { id: { type: 'string' }, email: { type: 'string', format: 'email' } },
      },
      Preferences: {
        type: 'object',
        required: ['theme', 'notifications'],
        additionalProperties: false,
        properties: {
          theme: { enum: [...THEMES] },
          notifications: {
            type: 'object',
            required: ['email', 'push', 'frequency'],
            additionalProperties: false,
            properties: {
              email: { type: 'boolean' },
              push: { type: 'boolean' },
              frequency: { enum: [...NOTIFICATION_FREQUENCIES] },
            },
          },
        },
      },
      User: {
        type: 'object',
        required: [
          'id',
          'email',
          'emailVerified',
          'pendingEmail',
          'firstName',
          'lastName',
          'bio',
          'avatarUrl',
          'preferences',
          'createdAt',
          'lastLoginAt',
          'passwordChangedAt',
          'version',
        ],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          email: { type: 'string', format: 'email' },
          emailVerified: {
            type: 'boolean',
            description: 'Whether the link mailed to `email` was opened',
          },
          pendingEmail: nullableString({
            format: 'email',
            description: 'A new address the account takes once the link mailed to it is opened',
          }),
          firstName: nullableString({ maxLength: PROFILE_LIMITS.name }),
          lastName: nullableString({ maxLength: PROFILE_LIMITS.name }),
          bio: nullableString({ maxLength: PROFILE_LIMITS.bio }),
          avatarUrl: nullableString({ format: 'uri', maxLength: PROFILE_LIMITS.avatarUrl }),
          preferences: ref('Preferences'),
          createdAt: { type: 'string', format: 'date-time' },
          lastLoginAt: nullableString({ format: 'date-time' }),
          passwordChangedAt: nullableString({ format: 'date-time' }),
          version: { type: 'integer', minimum: 0 },
        },
      },
      PublicUser: {
        type: 'object',
        required: ['id', 'firstName', 'lastName', 'bio', 'avatarUrl'],
        additionalProperties: false,
        properties: {
          id: { type: 'string' },
          firstName: nullableString(),
          lastName: nullableString(),
          bio: nullableString(),
          avatarUrl: nullableString({ format: 'uri' }),
        },
      },
      ProfileUpdate: {
        type: 'object',
        additionalProperties: false,
        properties: {
          firstName: nullableString({ maxLength: PROFILE_LIMITS.name }),
          lastName: nullableString({ maxLength: PROFILE_LIMITS.name }),
          bio: nullableString({ maxLength: PROFILE_LIMITS.bio }),
          avatarUrl: nullableString({ format: 'uri', maxLength: PROFILE_LIMITS.avatarUrl }),
          preferences: {
            type: 'object',
            additionalProperties: false,
            properties: {
              theme: { enum: [...THEMES] },
              notifications: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  email: { type: 'boolean' },
                  push: { type: 'boolean' },
                  frequency: { enum: [...NOTIFICATION_FREQUENCIES] },
                },
              },
            },
          },
        },
      },
    },
  },
};
