import { EMAIL_MAX_LENGTH, errorAnswer, isEmailAddress, ROLES, route } from '@taskforge/common';
import { z } from 'zod';
import type { Membership, MemberView } from '../models/memberships';
import {
  isUserId,
  memberAnswers,
  memberPath,
  pageAnswers,
  pageFields,
  role,
  signedInAnswers,
  teamPath,
  timestamp,
  wholeBodyRule,
} from './shared';

const ROLE_MESSAGE = `Role must be one of ${ROLES.join(', ')}`;

export const memberInput = z
  .object({
    email: z
      .string({ error: 'Email must be a string' })
      .trim()
      .refine(isEmailAddress, 'Email must be valid')
      .meta({ format: 'email', maxLength: EMAIL_MAX_LENGTH })
      .optional(),
    userId: z
      .string({ error: 'userId must be a user id' })
      .max(64, 'userId must be a user id')
      .refine(isUserId, 'userId must be a user id')
      .optional(),
    role: z.enum(ROLES, { error: ROLE_MESSAGE }).default('member'),
  })
  .refine(
    (body) => (body.email !== undefined) !== (body.userId !== undefined),
    wholeBodyRule('Give either email or userId'),
  )
  .meta({
    id: 'MemberInput',
    description: 'Exactly one of email and userId, naming someone in the user directory',
  });

export const roleInput = z
  .object({
    role: z.enum(ROLES, {
      error: (issue) =>
        issue.input === undefined || issue.input === null ? 'Role is required' : ROLE_MESSAGE,
    }),
  })
  .meta({ id: 'RoleInput' });

export const memberResponse = z
  .object({
    userId: z.string(),
    role,
    joinedAt: timestamp,
    version: z
      .int()
      .min(0)
      .meta({ description: 'The membership version; member.* events carry it' }),
    email: z
      .string()
      .nullable()
      .meta({ description: 'From the user directory; null until the user’s event has arrived' }),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
  })
  .meta({ id: 'Member' });

export type MemberResponse = z.output<typeof memberResponse>;

/** A member with what the directory knows of them (nothing yet, when their user event lags). */
export function toMemberResponse(
  membership: Membership,
  user: Pick<MemberView, 'email' | 'firstName' | 'lastName'> | undefined,
): MemberResponse {
  return {
    userId: membership.userId,
    role: membership.role,
    joinedAt: membership.joinedAt.toISOString(),
    version: membership.version,
    email: user?.email ?? null,
    firstName: user?.firstName ?? null,
    lastName: user?.lastName ?? null,
  };
}

const memberNotFound = errorAnswer('No such team (or not a member), or no such member');
const lastAdmin = errorAnswer('The team would have no admin left');

export const listMembersRoute = route({
  method: 'get',
  path: '/api/teams/:id/members',
  tags: ['members'],
  summary: 'List a team’s members',
  description: 'Any member may; in the order they joined.',
  signedIn: true,
  pathParams: teamPath,
  query: z.object(pageFields(isUserId)),
  responses: {
    ...pageAnswers('One page of members', memberResponse),
    ...memberAnswers,
  },
});

export const addMemberRoute = route({
  method: 'post',
  path: '/api/teams/:id/members',
  tags: ['members'],
  summary: 'Add a member',
  description:
    'Needs `member.manage`; only admins may add admins. The user must be in the user ' +
    'directory (replicated from auth). By `email`, only an account that has verified ' +
    'that address (accounts from before verification count as verified); by `userId`, ' +
    'any. Someone removed earlier may be added again. ' +
    'Publishes member.added at the membership’s next version (0 the first time).',
  signedIn: true,
  pathParams: teamPath,
  body: memberInput,
  responses: {
    201: { description: 'Added', body: memberResponse },
    400: errorAnswer(
      'Invalid input: neither or both of email and userId, a bad role; or the account ' +
        'with that email has not verified it yet (field `email`, "This person has not ' +
        'verified their email address yet; they can be added once they have")',
    ),
    ...signedInAnswers,
    403: errorAnswer('Lacks member.manage, or adds an admin without being one'),
    404: errorAnswer(
      'No such team (or not a member), or "No user with that email" / "No user with that ' +
        'id" (field `email` / `userId`)',
    ),
    409: errorAnswer('Already a member'),
  },
});

export const updateMemberRoute = route({
  method: 'patch',
  path: '/api/teams/:id/members/:userId',
  tags: ['members'],
  summary: 'Change a member’s role',
  description:
    'Needs `member.manage`; granting or revoking admin needs an admin. The last admin ' +
    'cannot be demoted (409). Publishes member.updated (version + 1, with previousRole) ' +
    'when the role changed.',
  signedIn: true,
  pathParams: memberPath,
  body: roleInput,
  responses: {
    200: { description: 'The member', body: memberResponse },
    400: errorAnswer('Invalid role'),
    ...signedInAnswers,
    403: errorAnswer('Lacks member.manage, or touches the admin role without being an admin'),
    404: memberNotFound,
    409: lastAdmin,
  },
});

export const removeMemberRoute = route({
  method: 'delete',
  path: '/api/teams/:id/members/:userId',
  tags: ['members'],
  summary: 'Remove a member, or leave',
  description:
    'Removing someone else needs `member.manage` (and being an admin to remove an admin); ' +
    'anyone may remove themselves. The last admin cannot go (409). Publishes ' +
    'member.removed (version + 1).',
  signedIn: true,
  pathParams: memberPath,
  responses: {
    204: { description: 'Removed' },
    ...signedInAnswers,
    403: errorAnswer('Lacks member.manage, or removes an admin without being one'),
    404: memberNotFound,
    409: lastAdmin,
  },
});
