import type { Listener } from '@taskforge/common';
import { ACTIVITY_TYPES } from '../models/activity';
import { membershipReplicaListeners } from '../replicas/membership';
import { teamReplicaListeners } from '../replicas/team';
import { ticketReplicaListeners } from '../replicas/ticket';
import { userReplicaListeners } from '../replicas/user';
import { activityListener } from './listeners/activity-listener';
import { MemberAddedListener } from './listeners/member-added-listener';
import { TeamDeletedListener } from './listeners/team-deleted-listener';

/**
 * Events the tasks consumer handles at once: events about different teams' memberships, tickets
 * and tasks go side by side, each entity's in turn, and team and user events alone (see
 * `EventConsumer`), so a replay or a backlog is not held up by one database round trip at a time.
 */
export const TASKS_CONSUMER_CONCURRENCY = 4;

/** Every listener of the tasks service, run on its durable consumer `tasks`. */
export function tasksListeners(): Listener[] {
  return [
    ...teamReplicaListeners,
    new TeamDeletedListener(),
    new MemberAddedListener(),
    ...membershipReplicaListeners,
    ...userReplicaListeners,
    ...ticketReplicaListeners,
    // This service's own events whose history entries their writes wrote: the catch-up.
    ...ACTIVITY_TYPES.map((subject) => activityListener(subject)),
  ];
}
