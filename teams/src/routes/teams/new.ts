import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { createTeamRoute, toTeamResponse } from '../../contracts/teams';
import { createTeam, type WriteDeps } from '../../services/team-writes';

export function newTeamRouter(deps: WriteDeps): Router {
  const router = Router();
  router.post(
    createTeamRoute.path,
    requireAuth,
    handle(createTeamRoute, async ({ body }, req, res) => {
      const access = await createTeam(deps, body, req.currentUser!.id, eventMetadataFrom(req));
      res.status(201).send(toTeamResponse(access));
    }),
  );
  return router;
}
