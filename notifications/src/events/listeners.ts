import { replicaListener, type EventData, type Listener } from '@taskforge/common';
import { Membership, membershipId } from '../../models/membership';
import { TeamReplica } from '../../models/team';
import { UserReplica, userFields } from '../../models/user';
import type { ListenerDeps } from '../listener-deps';
import { CommentCreatedListener } from './comment-created-listener';
import { EmailVerificationRequestedListener } from './email-verification-requested-listener';
import { MemberAddedListener } from './member-added-listener';
import { MemberUpdatedListener } from './member-updated-listener';
import { PasswordResetRequestedListener } from './password-reset-requested-listener';
import { TaskCreatedListener } from './task-created-listener';
import { TaskDeletedListener } from './task-deleted-listener';
import { TaskUpdatedListener } from './task-updated-listener';
import { TeamDeletedListener } from './team-deleted-listener';
import { UserDeletedListener } from './user-deleted-listener';
import { UserUpdatedListener } from './user-updated-listener';

/** Every subject notifications follows, one listener each. */
export function notificationListeners(deps: ListenerDeps): Listener[] {
  return [
    replicaListener('user.created', UserReplica, userFields),
    new UserUpdatedListener(),
    new UserDeletedListener(deps),
    replicaListener('team.created', TeamReplica, (data) => ({ name: data.name, deleted: false })),
    replicaListener('team.updated', TeamReplica, (data) => ({ name: data.name })),
    new TeamDeletedListener(),
    new MemberAddedListener(deps),
    new MemberUpdatedListener(deps),
    // A removed member stops receiving the team's board changes from the next message on.
    replicaListener(
      'member.removed',
      Membership,
      (data: EventData<'member.removed'>) => ({ role: data.role, active: false }),
      { id: (data) => membershipId(data.teamId, data.userId) },
    ),
    new TaskCreatedListener(deps),
    new TaskUpdatedListener(deps),
    new TaskDeletedListener(deps),
    new CommentCreatedListener(deps),
    new PasswordResetRequestedListener(deps),
    new EmailVerificationRequestedListener(deps),
  ] as Listener[];
}
