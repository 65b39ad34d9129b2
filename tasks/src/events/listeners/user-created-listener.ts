import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { User, userReplicaFields } from '../../models/user';

export class UserCreatedListener extends Listener<'user.created'> {
  readonly subject = 'user.created' as const;

  async onMessage(data: EventData<'user.created'>) {
    return resultFor(await applyVersioned(User, data, userReplicaFields(data)));
  }
}
