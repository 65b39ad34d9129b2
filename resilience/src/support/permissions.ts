import { PERMISSIONS, type Permission, type Role } from '@taskforge/common';

/** What teams gives each role of a new team. */
export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  member: ['task.create', 'task.update', 'task.assign', 'comment.create'],
  guest: [],
};
