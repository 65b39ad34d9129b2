import type { Listener } from '@taskforge/common';
import { membershipReplicaListeners } from '../replicas/membership';
import { teamReplicaListeners } from '../replicas/team';
import { userReplicaListeners } from '../replicas/user';
import type { ListenerDeps } from './listener-deps';
import { CommentCreatedListener } from './listeners/comment-created-listener';
import { EmailVerificationRequestedListener } from './listeners/email-verification-requested-listener';
import { MemberAddedListener } from './listeners/member-added-listener';
import { MemberUpdatedListener } from './listeners/member-updated-listener';
import { PasswordResetRequestedListener } from './listeners/password-reset-requested-listener';
import { TaskCreatedListener } from './listeners/task-created-listener';
import { TaskDeletedListener } from './listeners/task-deleted-listener';
import { TaskUpdatedListener } from './listeners/task-updated-listener';
import { UserDeletedListener } from './listeners/user-deleted-listener';
import { UserUpdatedListener } from './listeners/user-updated-listener';

/** Every subject notifications follows, one listener each. */
export function notificationsListeners(deps: ListenerDeps): Listener[] {
  return [
    ...userReplicaListeners,
    new UserUpdatedListener(),
    new UserDeletedListener(deps),
    ...teamReplicaListeners,
    new MemberAddedListener(deps),
    new MemberUpdatedListener(deps),
    ...membershipReplicaListeners,
    new TaskCreatedListener(deps),
    new TaskUpdatedListener(deps),
    new TaskDeletedListener(deps),
    new CommentCreatedListener(deps),
    new PasswordResetRequestedListener(deps),
    new EmailVerificationRequestedListener(deps),
  ] as Listener[];
}
