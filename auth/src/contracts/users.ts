import {
  errorAnswer,
  NOTIFICATION_FREQUENCIES,
  OBJECT_ID_PATTERN,
  RequestValidationError,
  route,
  THEMES,
} from '@taskforge/common';
import { z } from 'zod';
import { PROFILE_LIMITS } from '../models/user';
import { isHttpUrl } from './http-url';
import { invalidInput, noSuchUser, ownAccountAnswers, suppliedPassword, tooMany } from './shared';

/* The account: what its owner and everyone else see of it, and how its owner edits or deletes it. */

const profileText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be a string or null` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .nullable();

const AVATAR_URL_MESSAGE = `Avatar URL must be an http(s) URL of at most ${PROFILE_LIMITS.avatarUrl} characters, or null`;
const avatarUrl = z
  .string({ error: AVATAR_URL_MESSAGE })
  .max(PROFILE_LIMITS.avatarUrl, { error: AVATAR_URL_MESSAGE, abort: true })
  .refine(isHttpUrl, AVATAR_URL_MESSAGE)
  .meta({ format: 'uri' })
  .nullable();

const profile = z.object({
  firstName: profileText('First name', PROFILE_LIMITS.name),
  lastName: profileText('Last name', PROFILE_LIMITS.name),
  bio: profileText('Bio', PROFILE_LIMITS.bio),
  avatarUrl,
});

const oneOf = <const T extends readonly [string, ...string[]]>(label: string, values: T) =>
  z.enum(values, { error: `${label} must be one of ${values.join(', ')}` });
const flag = (label: string) => z.boolean({ error: `${label} must be true or false` });

const notificationPreferences = z.strictObject(
  {
    email: flag('Email notifications'),
    push: flag('Push notifications'),
    frequency: oneOf('Notification frequency', NOTIFICATION_FREQUENCIES),
  },
  { error: 'Notification preferences must be an object' },
);

const preferences = z
  .strictObject(
    {
      theme: oneOf('Theme', THEMES),
      notifications: notificationPreferences,
    },
    { error: 'Preferences must be an object' },
  )
  .meta({ id: 'Preferences' });

export const userResponse = z
  .object({
    id: z.string(),
    email: z.string().meta({ format: 'email' }),
    emailVerified: z
      .boolean()
      .meta({ description: 'Whether the link mailed to `email` was opened' }),
    pendingEmail: z
      .string()
      .meta({
        format: 'email',
        description: 'A new address the account takes once the link mailed to it is opened',
      })
      .nullable(),
    ...profile.shape,
    preferences,
    createdAt: z.iso.datetime(),
    lastLoginAt: z.iso.datetime().nullable(),
    passwordChangedAt: z.iso.datetime().nullable(),
    version: z.int().min(0),
  })
  .meta({ id: 'User' });

export type UserResponse = z.output<typeof userResponse>;

export const publicUserResponse = z
  .object({ id: z.string(), ...profile.shape })
  .meta({ id: 'PublicUser' });

export type PublicUserResponse = z.output<typeof publicUserResponse>;

/** The payload of the session token. */
export const sessionUser = z
  .object({ id: z.string(), email: z.string().meta({ format: 'email' }) })
  .meta({ id: 'SessionUser' });

const profileChanges = z
  .strictObject({
    ...profile.shape,
    preferences: preferences.extend({ notifications: notificationPreferences.partial() }).partial(),
  })
  .partial()
  .meta({ id: 'ProfileUpdate' });

/** Where `schema` (or the optional it wraps) is an object, its fields. */
function fieldsOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  if (schema instanceof z.ZodOptional) return fieldsOf(schema.unwrap() as z.ZodType);
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

/** The paths of the fields `fields` does not name, at any depth (`preferences.language`). */
function unknownFields(value: unknown, fields: Record<string, z.ZodType>, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, nested]) => {
    if (!Object.hasOwn(fields, key)) return [`${prefix}${key}`];
    const inner = fieldsOf(fields[key] as z.ZodType);
    return inner ? unknownFields(nested, inner, `${prefix}${key}.`) : [];
  });
}

/**
 * A partial profile. A field the profile does not have is answered "Unknown field", every such
 * field and nothing else, before anything is validated: no unknown input reaches a query.
 */
export const profileUpdate = z.preprocess((body, ctx) => {
  for (const field of unknownFields(body, profileChanges.shape)) {
    ctx.addIssue({ code: 'custom', message: 'Unknown field', path: field.split('.') });
  }
  return body;
}, profileChanges);

export type ProfileUpdate = z.output<typeof profileUpdate>;

export const showMe = route({
  method: 'get',
  path: '/api/users/me',
  tags: ['profile'],
  summary: 'The signed-in user',
  signedIn: true,
  responses: {
    200: { description: 'The user', body: userResponse },
    ...ownAccountAnswers,
  },
});

export const updateMe = route({
  method: 'patch',
  path: '/api/users/me',
  tags: ['profile'],
  summary: 'Change profile fields and preferences (partial update)',
  description:
    'Only the given fields change; null (or an empty string) clears a text field. Unknown ' +
    'fields are rejected. Publishes `user.updated` with the new version when anything changed.',
  signedIn: true,
  body: profileUpdate,
  responses: {
    200: { description: 'The updated user', body: userResponse },
    400: invalidInput,
    ...ownAccountAnswers,
    409: errorAnswer('The user was changed by other requests too often to apply this one; retry'),
  },
});

export const deleteMe = route({
  method: 'delete',
  path: '/api/users/me',
  tags: ['profile'],
  summary: 'Delete the account',
  description:
    'Needs the password (wrong: 400 "Invalid credentials" on `password`). Refused (409) ' +
    'while the user is the last admin of a team: another member must be made admin, or ' +
    'the team deleted, first. Publishes `user.deleted`: every session ends, every service ' +
    'forgets what it holds of the user (their memberships end through teams, their inbox ' +
    'and pending emails go; tasks and comments stay, by an unknown user). The address can ' +
    'sign up again as a new account. Answers 204 with no body and clears the cookie.',
  signedIn: true,
  body: z.object({ password: suppliedPassword }),
  responses: {
    204: { description: 'Account deleted; this cookie is cleared' },
    400: invalidInput,
    ...ownAccountAnswers,
    409: errorAnswer(
      'The user is the last admin of a team (the message names it), or the account was ' +
        'changed by other requests too often; nothing was deleted',
    ),
  },
});

export const showUser = route({
  method: 'get',
  path: '/api/users/:id',
  tags: ['profile'],
  summary: "A user's public profile",
  pathParams: {
    id: {
      description: 'User id (24 hex characters)',
      pattern: OBJECT_ID_PATTERN,
      invalid: () =>
        new RequestValidationError([{ message: 'User id must be valid', field: 'id' }]),
    },
  },
  responses: {
    200: { description: 'Public fields only', body: publicUserResponse },
    400: errorAnswer('Malformed id'),
    404: noSuchUser,
    429: tooMany,
  },
});
