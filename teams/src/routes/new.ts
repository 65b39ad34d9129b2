import { eventMetadataFrom, requireAuth, validateRequest } from '@taskforge/common';
import { Router } from 'express';
import { matchedData } from 'express-validator';
import type { Pool } from 'pg';
import { createTeam, type TeamInput } from '../services/team-writes';
import { toTeamResponse } from './responses';
import { descriptionField, nameField } from './validators';

export function newTeamRouter(deps: { pool: Pool; eventsRecorded: () => void }): Router {
  const router = Router();
  router.post(
    '/api/teams',
    requireAuth,
    nameField({ optional: false }),
    descriptionField(),
    validateRequest,
    async (req, res) => {
      const input = matchedData<TeamInput>(req, { locations: ['body'] });
      const access = await createTeam(
        deps.pool,
        input,
        req.currentUser!.id,
        eventMetadataFrom(req),
      );
      deps.eventsRecorded();
      res.status(201).send(toTeamResponse(access));
    },
  );
  return router;
}
