import { cache } from 'react';
import { loadAll, load } from './server-api';
import type { Member, Permission, TeamWithPermissions } from './types';

/** A team and its members, loaded once per request however many components ask. */
export const loadTeam = cache(async (teamId: string, returnTo: string) => {
  const id = encodeURIComponent(teamId);
  const [team, members] = await Promise.all([
    load<TeamWithPermissions>(`/api/teams/${id}`, returnTo).then((res) => res.body),
    loadAll<Member>(`/api/teams/${id}/members?limit=100`, returnTo),
  ]);
  return { team, members };
});

export function can(
  team: Pick<TeamWithPermissions, 'role' | 'permissions'>,
  permission: Permission,
): boolean {
  return team.permissions[team.role]?.includes(permission) ?? false;
}
