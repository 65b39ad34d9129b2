import { NotFoundError, PERMISSIONS, ROLES, type Permission, type Role } from '@taskforge/common';
import type { RequestHandler } from 'express';
import { body, param } from 'express-validator';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, type RolePermissions } from '../db/teams';
import { MEMBER_NOT_FOUND } from '../services/membership-writes';
import { TEAM_NOT_FOUND } from '../services/team-access';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** User ids come from auth (ObjectId hex today); anything id-like up to 64 characters. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isTeamId = (value: string) => UUID.test(value);
export const isUserId = (value: string) => USER_ID.test(value);

/**
 * A malformed team id in the path is answered like a team that does not exist (404), as is
 * a malformed user id: either way there is nothing there for this caller.
 */
export const teamIdParam: RequestHandler = async (req, _res, next) => {
  const result = await param('id').custom(isTeamId).run(req);
  if (!result.isEmpty()) throw new NotFoundError(TEAM_NOT_FOUND);
  next();
};

export const userIdParam: RequestHandler = async (req, _res, next) => {
  const result = await param('userId').custom(isUserId).run(req);
  if (!result.isEmpty()) throw new NotFoundError(MEMBER_NOT_FOUND);
  next();
};

/** Present unless optional; a string of 1 to 100 characters once trimmed. */
export const nameField = (options: { optional: boolean }) =>
  (options.optional
    ? body('name').optional()
    : body('name').exists({ values: 'null' }).withMessage('Name is required').bail()
  )
    .isString()
    .withMessage('Name must be a string')
    .bail()
    .trim()
    .isLength({ min: 1, max: NAME_MAX_LENGTH })
    .withMessage(`Name must be 1 to ${NAME_MAX_LENGTH} characters`);

/** A string (trimmed; empty means none) or null to clear it. */
export const descriptionField = () =>
  body('description')
    .optional()
    .custom((value) => value === null || typeof value === 'string')
    .withMessage('Description must be a string or null')
    .bail()
    .customSanitizer((value: string | null) => (value === null ? null : value.trim() || null))
    .custom((value: string | null) => value === null || value.length <= DESCRIPTION_MAX_LENGTH)
    .withMessage(`Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`);

export const roleField = (options: { optional: boolean }) =>
  (options.optional
    ? body('role').optional()
    : body('role').exists({ values: 'null' }).withMessage('Role is required').bail()
  )
    // isIn alone would pass a list of valid roles (it checks each item of an array).
    .isString()
    .withMessage(`Role must be one of ${ROLES.join(', ')}`)
    .bail()
    .isIn(ROLES)
    .withMessage(`Role must be one of ${ROLES.join(', ')}`);

const isPermissionList = (value: unknown): value is Permission[] =>
  Array.isArray(value) &&
  value.every(
    (item) => typeof item === 'string' && (PERMISSIONS as readonly string[]).includes(item),
  );

/** The whole table: every role, each a list of catalogue permissions (duplicates dropped). */
export const permissionsField = () => [
  body('permissions')
    .isObject()
    .withMessage('Permissions must be an object with a list for each role')
    .bail()
    .custom((value: object) =>
      Object.keys(value).every((key) => (ROLES as readonly string[]).includes(key)),
    )
    .withMessage(`Permissions may only name the roles ${ROLES.join(', ')}`),
  ...ROLES.map((role) =>
    body(`permissions.${role}`)
      .custom(isPermissionList)
      .withMessage(`Permissions of ${role} must be a list of: ${PERMISSIONS.join(', ')}`),
  ),
];

/** Normalizes a validated table to catalogue order, without duplicates. */
export function toRolePermissions(value: Record<Role, Permission[]>): RolePermissions {
  return Object.fromEntries(
    ROLES.map((role) => [role, PERMISSIONS.filter((p) => value[role].includes(p))]),
  ) as RolePermissions;
}
