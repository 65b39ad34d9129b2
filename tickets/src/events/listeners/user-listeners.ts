import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { User } from '../../models/user';

export class UserCreatedListener extends Listener<'user.created'> {
  readonly subject = 'user.created' as const;

  async onMessage(data: EventData<'user.created'>) {
    return resultFor(
      await applyVersioned(User, data, { sessionVersion: data.sessionVersion ?? 0 }),
    );
  }
}

export class UserUpdatedListener extends Listener<'user.updated'> {
  readonly subject = 'user.updated' as const;

  async onMessage(data: EventData<'user.updated'>) {
    return resultFor(
      await applyVersioned(User, data, { sessionVersion: data.sessionVersion ?? 0 }),
    );
  }
}

/** Every listener of the tickets service, run on its durable consumer `tickets`. */
export function ticketsListeners(): Listener[] {
  return [new UserCreatedListener(), new UserUpdatedListener()];
}
