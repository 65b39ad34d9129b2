import { errorAnswer, route, TASK_PRIORITIES, TASK_STATUSES } from '@taskforge/common';
import { z } from 'zod';
import { STATS_WEEKS } from '../services/stats';
import { ID_PATTERN, signedInAnswers, teamNotFound } from './shared';

export const statsQuery = z.object({
  teamId: z.string('teamId is required').regex(ID_PATTERN, 'teamId is required'),
});

const count = z.int().min(0);

/** One count per key, every key present. */
const countsBy = <K extends string>(keys: readonly K[]) =>
  z.object(Object.fromEntries(keys.map((key) => [key, count])) as Record<K, typeof count>);

export const statsResponse = z
  .object({
    total: count,
    byStatus: countsBy(TASK_STATUSES),
    byPriority: countsBy(TASK_PRIORITIES),
    byAssignee: z
      .array(z.object({ assigneeId: z.string().nullable(), count }))
      .meta({ description: 'Most tasks first; `assigneeId: null` counts unassigned tasks' }),
    overdue: count.meta({ description: 'Not done and due before now' }),
    weekly: z
      .array(
        z.object({
          week: z.string().regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/),
          created: count,
          completed: count,
        }),
      )
      .length(STATS_WEEKS)
      .meta({
        description: `Tasks created and completed per ISO week (Monday, UTC), last ${STATS_WEEKS} weeks, oldest first`,
      }),
    medianCycleTimeMs: z.int().min(0).nullable().meta({
      description: 'Median time from creation to done of the done tasks; null when none',
    }),
  })
  .meta({ id: 'Stats' });

export type TaskStats = z.output<typeof statsResponse>;

export const showStats = route({
  method: 'get',
  path: '/api/tasks/stats',
  tags: ['tasks'],
  summary: "A team's dashboard numbers",
  description:
    'Exact at every moment: cached per team, and the cache is superseded by every task ' +
    'write before it answers, and when a due date passes or a week begins.',
  signedIn: true,
  query: statsQuery,
  responses: {
    200: { description: 'The numbers', body: statsResponse },
    400: errorAnswer('Missing or malformed teamId'),
    404: teamNotFound,
    ...signedInAnswers,
  },
});
