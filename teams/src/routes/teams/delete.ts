import { eventMetadataFrom, handle, requireAuth } from '@taskforge/common';
import { Router } from 'express';
import { deleteTeamRoute } from '../../contracts/teams';
import { deleteTeam, type WriteDeps } from '../../services/team-writes';

export function deleteTeamRouter(deps: WriteDeps): Router {
  const router = Router();
  router.delete(
    deleteTeamRoute.path,
    requireAuth,
    handle(deleteTeamRoute, async (_input, req, res) => {
      await deleteTeam(deps, req.params.id as string, req.currentUser!.id, eventMetadataFrom(req));
      res.status(204).end();
    }),
  );
  return router;
}
