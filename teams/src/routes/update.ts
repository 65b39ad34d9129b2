import { eventMetadataFrom, requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { body, matchedData, oneOf } from 'express-validator';
import type { Pool } from 'pg';
import { updateTeam, type TeamInput } from '../services/team-writes';
import { toTeamResponse } from './responses';
import { descriptionField, nameField, teamIdParam } from './validators';

export function updateTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.patch(
    '/api/teams/:id',
    requireAuth,
    teamIdParam,
    nameField({ optional: true }),
    descriptionField(),
    oneOf([body('name').exists(), body('description').exists()], {
      message: 'Give a name or a description to change',
    }),
    validateRequest,
    async (req, res) => {
      const input = matchedData<Partial<TeamInput>>(req, { locations: ['body'] });
      const access = await updateTeam(
        deps.pool,
        req.params.id as string,
        req.currentUser!.id,
        input,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.send(toTeamResponse(access));
    },
  );
  return router;
}
