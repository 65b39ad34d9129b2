import {
  errorAnswer,
  PERMISSIONS,
  ROLES,
  route,
  type Permission,
  type Role,
} from '@taskforge/common';
import { z } from 'zod';
import type { RolePermissions } from '../models/teams';
import type { TeamAccess } from '../services/team-access';
import { memberAnswers, rolePermissions, teamPath } from './shared';

const isPermissionList = (value: unknown): value is Permission[] =>
  Array.isArray(value) &&
  value.every(
    (item) => typeof item === 'string' && (PERMISSIONS as readonly string[]).includes(item),
  );

// The problem is the role's list as a whole (the field is `permissions.<role>`), not an item.
const permissionList = (role: Role) =>
  z
    .custom<Permission[]>(
      isPermissionList,
      `Permissions of ${role} must be a list of: ${PERMISSIONS.join(', ')}`,
    )
    .meta({ type: 'array', items: { type: 'string', enum: [...PERMISSIONS] } });

/** The whole table, every role a list of catalogue permissions; kept in catalogue order, once. */
const rolePermissionsInput = z
  .strictObject(
    Object.fromEntries(ROLES.map((role) => [role, permissionList(role)])) as Record<
      Role,
      ReturnType<typeof permissionList>
    >,
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `Permissions may only name the roles ${ROLES.join(', ')}`
          : 'Permissions must be an object with a list for each role',
    },
  )
  .transform(
    (table) =>
      Object.fromEntries(
        ROLES.map((role) => [role, PERMISSIONS.filter((p) => table[role].includes(p))]),
      ) as RolePermissions,
  );

export const permissionsInput = z
  .object({
    permissions: rolePermissionsInput.meta({
      description:
        'The whole table. Admins always keep `member.manage`; `team.delete` can only ' +
        'be granted to admins. Duplicates are dropped.',
    }),
  })
  .meta({ id: 'PermissionsInput' });

export const permissionsResponse = z
  .object({
    teamId: z.guid(),
    version: z.int().min(0).meta({ description: 'The team version' }),
    permissions: rolePermissions,
  })
  .meta({ id: 'Permissions' });

export function toPermissionsResponse(access: TeamAccess): z.output<typeof permissionsResponse> {
  return { teamId: access.team.id, version: access.team.version, permissions: access.permissions };
}

export const showPermissionsRoute = route({
  method: 'get',
  path: '/api/teams/:id/permissions',
  tags: ['permissions'],
  summary: 'What each role may do',
  description: 'Any member may read it.',
  signedIn: true,
  pathParams: teamPath,
  responses: {
    200: { description: 'The permission table', body: permissionsResponse },
    ...memberAnswers,
  },
});

export const updatePermissionsRoute = route({
  method: 'put',
  path: '/api/teams/:id/permissions',
  tags: ['permissions'],
  summary: 'Replace what each role may do',
  description:
    'Admins only. Publishes team.updated (version + 1) with the new table when it changed.',
  signedIn: true,
  pathParams: teamPath,
  body: permissionsInput,
  responses: {
    200: { description: 'The permission table', body: permissionsResponse },
    400: errorAnswer(
      'Invalid table: a role missing or unknown, an unknown permission, admins without ' +
        'member.manage, team.delete for a role other than admin',
    ),
    ...memberAnswers,
    403: errorAnswer('Not an admin'),
  },
});
