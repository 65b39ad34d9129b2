import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { toTeamResponse, updateTeamRoute } from '../../contracts/teams';
import { updateTeam, type WriteDeps } from '../../services/team-writes';

export function updateTeamRouter(deps: WriteDeps): Router {
  const router = Router();
  router.patch(
    updateTeamRoute.path,
    requireAuth,
    handle(updateTeamRoute, async ({ body }, req, res) => {
      const access = await updateTeam(
        deps,
        req.params.id as string,
        req.currentUser!.id,
        body,
        eventMetadataFrom(req),
      );
      res.send(toTeamResponse(access));
    }),
  );
  return router;
}
