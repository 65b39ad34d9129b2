import type { Listener } from '@taskforge/common';
import type { ListenerDeps } from '../listener-deps';
import { CommentCreatedListener } from './comment-created-listener';
import { EmailVerificationRequestedListener } from './email-verification-requested-listener';
import { MemberAddedListener } from './member-added-listener';
import { MemberRemovedListener } from './member-removed-listener';
import { MemberUpdatedListener } from './member-updated-listener';
import { PasswordResetRequestedListener } from './password-reset-requested-listener';
import { TaskCreatedListener } from './task-created-listener';
import { TaskDeletedListener } from './task-deleted-listener';
import { TaskUpdatedListener } from './task-updated-listener';
import { TeamCreatedListener } from './team-created-listener';
import { TeamDeletedListener } from './team-deleted-listener';
import { TeamUpdatedListener } from './team-updated-listener';
import { UserCreatedListener } from './user-created-listener';
import { UserDeletedListener } from './user-deleted-listener';
import { UserUpdatedListener } from './user-updated-listener';

/** Every subject notifications follows, one listener each. */
export function notificationListeners(deps: ListenerDeps): Listener[] {
  return [
    new UserCreatedListener(),
    new UserUpdatedListener(),
    new UserDeletedListener(deps),
    new TeamCreatedListener(),
    new TeamUpdatedListener(),
    new TeamDeletedListener(),
    new MemberAddedListener(deps),
    new MemberUpdatedListener(deps),
    new MemberRemovedListener(),
    new TaskCreatedListener(deps),
    new TaskUpdatedListener(deps),
    new TaskDeletedListener(deps),
    new CommentCreatedListener(deps),
    new PasswordResetRequestedListener(deps),
    new EmailVerificationRequestedListener(deps),
  ] as Listener[];
}
