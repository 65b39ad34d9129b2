import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { User, USER_TOMBSTONE } from '../../models/user';

/**
 * The replica becomes a tombstone, in one write: a redelivery after a crash either finds it
 * undone ('apply') or done ('duplicate'), so there is nothing left to finish. The user's tasks,
 * comments and attachments keep their id; the names tasks shows are resolved when read (see
 * `commentResponses`), so nothing else is rewritten.
 */
export class UserDeletedListener extends Listener<'user.deleted'> {
  readonly subject = 'user.deleted' as const;

  async onMessage(data: EventData<'user.deleted'>) {
    return resultFor(await applyVersioned(User, data, USER_TOMBSTONE));
  }
}
