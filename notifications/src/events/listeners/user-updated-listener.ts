import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { isDeleted, UserReplica, userFields } from '../../replicas/user';

export class UserUpdatedListener extends Listener<'user.updated'> {
  readonly subject = 'user.updated' as const;

  async onMessage(data: EventData<'user.updated'>) {
    // A tombstone is final. A late (lower) version is a duplicate anyway; this keeps a newer one,
    // which auth never publishes after user.deleted, from writing the person back all the same.
    if (await isDeleted(data.id)) return 'ack';
    return resultFor(await applyVersioned(UserReplica, data, userFields(data)));
  }
}
