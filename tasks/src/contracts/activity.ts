import { errorAnswer, route } from '@taskforge/common';
import { z } from 'zod';
import { ACTIVITY_TYPES } from '../models/activity';
import {
  dateTime,
  entryPageQuery,
  pageHeaders,
  signedInAnswers,
  taskIdParam,
  taskNotFound,
} from './shared';

export const activityResponse = z
  .object({
    id: z.string().meta({ description: 'The id of the event the entry comes from' }),
    type: z.enum(ACTIVITY_TYPES),
    actorId: z.string().nullable(),
    at: dateTime,
    changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    commentId: z.string().optional(),
    attachment: z.object({ id: z.string(), name: z.string() }).optional(),
  })
  .meta({ id: 'Activity' });

export type ActivityResponse = z.output<typeof activityResponse>;

export const listActivity = route({
  method: 'get',
  path: '/api/tasks/:id/activity',
  tags: ['tasks'],
  summary: "A task's history, newest first",
  signedIn: true,
  pathParams: taskIdParam,
  query: entryPageQuery,
  responses: {
    200: {
      description: 'One page of history',
      headers: pageHeaders,
      body: z.array(activityResponse),
    },
    400: errorAnswer('Invalid limit or cursor'),
    404: taskNotFound,
    ...signedInAnswers,
  },
});
