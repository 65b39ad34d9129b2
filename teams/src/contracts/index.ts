import { openApiDocumentFor } from '@taskforge/common';
import { listAuditLogRoute } from './audit';
import { addMemberRoute, listMembersRoute, removeMemberRoute, updateMemberRoute } from './members';
import { showPermissionsRoute, updatePermissionsRoute } from './permissions';
import {
  createTeamRoute,
  deleteTeamRoute,
  listTeamsRoute,
  showTeamRoute,
  updateTeamRoute,
} from './teams';

const teamEvents =
  'team.created / team.updated carry `{ id, version, name, description, createdBy, permissions }` ' +
  '(the whole permission table) and, on updates, `previous` (the old values of what changed); ' +
  'team.deleted carries `{ id, version, name, description, createdBy }`: it revokes every ' +
  'membership of the team, no member.removed follows. member.added / member.updated / ' +
  'member.removed carry `{ teamId, userId, role, version }` (+ `previousRole` on updates); the ' +
  'version of one (team, user) rises by exactly one per event, across removals and re-additions.';

const routes = [
  listTeamsRoute,
  createTeamRoute,
  showTeamRoute,
  updateTeamRoute,
  deleteTeamRoute,
  listMembersRoute,
  addMemberRoute,
  updateMemberRoute,
  removeMemberRoute,
  showPermissionsRoute,
  updatePermissionsRoute,
  listAuditLogRoute,
];

/** OpenAPI 3.1 description of the teams API; tests check every route's real answers against it. */
export const openApiDocument = openApiDocumentFor({
  title: 'TaskForge teams',
  description:
    'Teams, their members and roles, what each role may do, and the audit log of the suite. ' +
    'Every route needs the `session` cookie set by auth. A team is visible to its members ' +
    'only: to anyone else it does not exist (404). Writes publish versioned events through ' +
    'an outbox. ' +
    teamEvents,
  tags: ['teams', 'members', 'permissions', 'audit'],
  routes,
});
