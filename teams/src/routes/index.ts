import type { Router } from 'express';
import type { WriteDeps } from '../services/team-writes';
import { indexAuditRouter } from './audit/index';
import { deleteMemberRouter } from './members/delete';
import { indexMemberRouter } from './members/index';
import { newMemberRouter } from './members/new';
import { updateMemberRouter } from './members/update';
import { showPermissionsRouter } from './permissions/show';
import { updatePermissionsRouter } from './permissions/update';
import { deleteTeamRouter } from './teams/delete';
import { indexTeamRouter } from './teams/index';
import { newTeamRouter } from './teams/new';
import { showTeamRouter } from './teams/show';
import { updateTeamRouter } from './teams/update';

/** Every router of the teams API, in the order app.ts mounts them. */
export function teamsRouters(deps: WriteDeps): Router[] {
  return [
    indexTeamRouter(deps),
    newTeamRouter(deps),
    showTeamRouter(deps),
    updateTeamRouter(deps),
    deleteTeamRouter(deps),
    indexMemberRouter(deps),
    newMemberRouter(deps),
    updateMemberRouter(deps),
    deleteMemberRouter(deps),
    showPermissionsRouter(deps),
    updatePermissionsRouter(deps),
    indexAuditRouter(deps),
  ];
}
