import type { Listener } from '@taskforge/common';
import { AttachmentAddedListener } from './listeners/attachment-added-listener';
import { AttachmentRemovedListener } from './listeners/attachment-removed-listener';
import { CommentCreatedListener } from './listeners/comment-created-listener';
import { MemberAddedListener } from './listeners/member-added-listener';
import { MemberRemovedListener } from './listeners/member-removed-listener';
import { MemberUpdatedListener } from './listeners/member-updated-listener';
import { TaskCreatedListener } from './listeners/task-created-listener';
import { TaskUpdatedListener } from './listeners/task-updated-listener';
import { TeamCreatedListener } from './listeners/team-created-listener';
import { TeamDeletedListener } from './listeners/team-deleted-listener';
import { TeamUpdatedListener } from './listeners/team-updated-listener';
import { TicketCreatedListener } from './listeners/ticket-created-listener';
import { TicketDeletedListener } from './listeners/ticket-deleted-listener';
import { TicketUpdatedListener } from './listeners/ticket-updated-listener';
import { UserCreatedListener } from './listeners/user-created-listener';
import { UserDeletedListener } from './listeners/user-deleted-listener';
import { UserUpdatedListener } from './listeners/user-updated-listener';

/**
 * Events the tasks consumer handles at once: events about different teams' memberships, tickets
 * and tasks go side by side, each entity's in turn, and team and user events alone (see
 * `EventConsumer`), so a replay or a backlog is not held up by one database round trip at a time.
 */
export const TASKS_CONSUMER_CONCURRENCY = 4;

/** Every listener of the tasks service, run on its durable consumer `tasks`. */
export function tasksListeners(): Listener[] {
  return [
    new TeamCreatedListener(),
    new TeamUpdatedListener(),
    new TeamDeletedListener(),
    new MemberAddedListener(),
    new MemberUpdatedListener(),
    new MemberRemovedListener(),
    new UserCreatedListener(),
    new UserUpdatedListener(),
    new UserDeletedListener(),
    new TicketCreatedListener(),
    new TicketUpdatedListener(),
    new TicketDeletedListener(),
    new TaskCreatedListener(),
    new TaskUpdatedListener(),
    new CommentCreatedListener(),
    new AttachmentAddedListener(),
    new AttachmentRemovedListener(),
  ];
}
