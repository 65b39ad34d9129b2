import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { User, userReplicaFields } from '../../models/user';

export class UserUpdatedListener extends Listener<'user.updated'> {
  readonly subject = 'user.updated' as const;

  async onMessage(data: EventData<'user.updated'>) {
    return resultFor(await applyVersioned(User, data, userReplicaFields(data)));
  }
}
