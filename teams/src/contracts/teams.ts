import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import type { TeamOfMember } from '../models/memberships';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, type Team } from '../models/teams';
import type { TeamAccess } from '../services/team-access';
import {
  isTeamId,
  memberAnswers,
  pageAnswers,
  pageFields,
  role,
  rolePermissions,
  signedInAnswers,
  teamPath,
  timestamp,
  wholeBodyRule,
} from './shared';

const NAME_LENGTH = `Name must be 1 to ${NAME_MAX_LENGTH} characters`;

const name = (error: z.core.$ZodErrorMap | string) =>
  z.string({ error }).trim().min(1, NAME_LENGTH).max(NAME_MAX_LENGTH, NAME_LENGTH);

/** A string (trimmed; empty means none) or null to clear it. */
const description = z
  .string({ error: 'Description must be a string or null' })
  .trim()
  .max(DESCRIPTION_MAX_LENGTH, `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`)
  .nullable()
  .transform((value) => value || null);

export const teamInput = z
  .object({
    name: name((issue) =>
      issue.input === undefined || issue.input === null
        ? 'Name is required'
        : 'Name must be a string',
    ).meta({ description: 'Trimmed' }),
    description: description.optional().meta({ description: 'Trimmed; empty or null means none' }),
  })
  .meta({ id: 'TeamInput' });

export const teamUpdate = z
  .object({
    name: name('Name must be a string').optional(),
    description: description.optional(),
  })
  .refine(
    (body) => body.name !== undefined || body.description !== undefined,
    wholeBodyRule('Give a name or a description to change'),
  )
  .meta({
    id: 'TeamUpdate',
    description: 'At least one of name and description',
    minProperties: 1,
  });

export type TeamInput = z.output<typeof teamInput>;
export type TeamUpdate = z.output<typeof teamUpdate>;

const teamFields = z.object({
  id: z.guid(),
  name: z.string().min(1).max(NAME_MAX_LENGTH),
  description: z.string().max(DESCRIPTION_MAX_LENGTH).nullable(),
  createdBy: z.string().meta({ description: 'User id of the creator' }),
  createdAt: timestamp,
  updatedAt: timestamp,
  version: z.int().min(0).meta({
    description: 'Bumped by every write to the team or its permissions; team.* events carry it',
  }),
  role: role.meta({ description: 'The caller’s role in the team' }),
});

export const teamResponse = teamFields
  .extend({ permissions: rolePermissions })
  .meta({ id: 'Team' });
export const teamListItem = teamFields.extend({ joinedAt: timestamp }).meta({ id: 'TeamListItem' });

export type TeamResponse = z.output<typeof teamResponse>;
export type TeamListItem = z.output<typeof teamListItem>;

function teamFieldsOf(team: Team) {
  return {
    id: team.id,
    name: team.name,
    description: team.description,
    createdBy: team.createdBy,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
    version: team.version,
  };
}

/** A team as one of its members sees it: with their role and every role's permissions. */
export function toTeamResponse(access: TeamAccess): TeamResponse {
  return {
    ...teamFieldsOf(access.team),
    role: access.membership.role,
    permissions: access.permissions,
  };
}

export function toTeamListItem(team: TeamOfMember): TeamListItem {
  return { ...teamFieldsOf(team), role: team.role, joinedAt: team.joinedAt.toISOString() };
}

export const listTeamsRoute = route({
  method: 'get',
  path: '/api/teams',
  tags: ['teams'],
  summary: 'The teams I belong to',
  description: 'With my role in each, most recently joined first.',
  signedIn: true,
  query: z.object(pageFields(isTeamId)),
  responses: {
    ...pageAnswers('One page of teams', teamListItem),
    ...signedInAnswers,
  },
});

export const createTeamRoute = route({
  method: 'post',
  path: '/api/teams',
  tags: ['teams'],
  summary: 'Create a team',
  description:
    'The creator becomes its admin. Roles get the default permissions: admin all; member ' +
    '`task.create`, `task.update`, `task.assign`, `comment.create`; guest none (read ' +
    'only). Publishes team.created (version 0) and member.added for the creator (version 0).',
  signedIn: true,
  body: teamInput,
  responses: {
    201: { description: 'Created', body: teamResponse },
    400: errorAnswer('Invalid name or description, or malformed JSON'),
    ...signedInAnswers,
  },
});

export const showTeamRoute = route({
  method: 'get',
  path: '/api/teams/:id',
  tags: ['teams'],
  summary: 'Show a team',
  description: 'Members only.',
  signedIn: true,
  pathParams: teamPath,
  responses: {
    200: { description: 'The team', body: teamResponse },
    ...memberAnswers,
  },
});

export const updateTeamRoute = route({
  method: 'patch',
  path: '/api/teams/:id',
  tags: ['teams'],
  summary: 'Rename or re-describe a team',
  description:
    'Needs `team.update`. Publishes team.updated (version + 1) when something changed; ' +
    'a change to the same values writes nothing.',
  signedIn: true,
  pathParams: teamPath,
  body: teamUpdate,
  responses: {
    200: { description: 'The team', body: teamResponse },
    400: errorAnswer('Invalid input'),
    ...memberAnswers,
    403: errorAnswer('The caller’s role lacks team.update'),
  },
});

export const deleteTeamRoute = route({
  method: 'delete',
  path: '/api/teams/:id',
  tags: ['teams'],
  summary: 'Delete a team',
  description:
    'Admins holding `team.delete`. Deletes its memberships too and publishes team.deleted ' +
    '(version + 1), which stands for the end of every membership.',
  signedIn: true,
  pathParams: teamPath,
  responses: {
    204: { description: 'Deleted' },
    ...memberAnswers,
    403: errorAnswer('Not an admin, or the admin role lacks team.delete'),
  },
});
