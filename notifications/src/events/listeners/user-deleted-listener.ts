import { applyVersioned, Listener, type EventData, type HandleResult } from '@taskforge/common';
import { TOMBSTONE_FIELDS, UserReplica } from '../../replicas/user';
import type { ListenerDeps } from '../listener-deps';

/**
 * The replica becomes a tombstone (which refuses the user's sessions and stops every later
 * notification and email to them), then everything held of the user is forgotten. The forgetting
 * runs on a duplicate too: a delivery that died half-way through it is finished by the next one.
 */
export class UserDeletedListener extends Listener<'user.deleted'> {
  readonly subject = 'user.deleted' as const;

  constructor(private readonly deps: Pick<ListenerDeps, 'forgetUser'>) {
    super();
  }

  async onMessage(data: EventData<'user.deleted'>): Promise<HandleResult> {
    const decision = await applyVersioned(UserReplica, data, TOMBSTONE_FIELDS);
    if (decision === 'future') return 'retry';
    await this.deps.forgetUser(data.id);
    return 'ack';
  }
}
