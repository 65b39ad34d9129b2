import { replicaListener, type EventData, type Listener } from '@taskforge/common';
import { ACTIVITY_TYPES } from '../models/activity';
import { Membership, membershipId } from '../models/membership';
import { Team } from '../models/team';
import { Ticket } from '../models/ticket';
import { User, userReplicaFields } from '../models/user';
import { activityListener } from './listeners/activity-listener';
import { MemberAddedListener } from './listeners/member-added-listener';
import { TeamDeletedListener } from './listeners/team-deleted-listener';
import { UserDeletedListener } from './listeners/user-deleted-listener';

/**
 * Events the tasks consumer handles at once: events about different teams' memberships, tickets
 * and tasks go side by side, each entity's in turn, and team and user events alone (see
 * `EventConsumer`), so a replay or a backlog is not held up by one database round trip at a time.
 */
export const TASKS_CONSUMER_CONCURRENCY = 4;

const byMembership = {
  id: (data: EventData<'member.updated'>) => membershipId(data.teamId, data.userId),
};

/** What tasks keeps of a ticket a task may link (a deleted one stays, marked). */
const ticketFields = (deleted: boolean) => (data: EventData<'ticket.updated'>) => ({
  title: data.title,
  price: data.price,
  userId: data.userId,
  deleted,
});

/** Every listener of the tasks service, run on its durable consumer `tasks`. */
export function tasksListeners(): Listener[] {
  return [
    replicaListener('team.created', Team, (data) => ({
      name: data.name,
      permissions: data.permissions,
      deleted: false,
    })),
    replicaListener('team.updated', Team, (data) => ({
      name: data.name,
      permissions: data.permissions,
    })),
    new TeamDeletedListener(),
    new MemberAddedListener(),
    replicaListener('member.updated', Membership, (data) => ({ role: data.role }), byMembership),
    replicaListener(
      'member.removed',
      Membership,
      (data) => ({ teamId: data.teamId, userId: data.userId, role: data.role, active: false }),
      byMembership,
    ),
    replicaListener('user.created', User, userReplicaFields),
    replicaListener('user.updated', User, userReplicaFields),
    new UserDeletedListener(),
    replicaListener('ticket.created', Ticket, ticketFields(false)),
    replicaListener('ticket.updated', Ticket, ticketFields(false)),
    replicaListener('ticket.deleted', Ticket, ticketFields(true)),
    // This service's own events whose history entries their writes wrote: the catch-up.
    ...ACTIVITY_TYPES.map((subject) => activityListener(subject)),
  ];
}
