import { Listener, type EventData } from '@taskforge/common';
import { queueAccountMail, type ListenerDeps } from '../listener-deps';

/**
 * Queues the email of a link that proves an address is the user's (see `queueAccountMail`). It
 * goes to the event's address: for a change, the new one, which the user replica does not hold
 * until the link is opened (`user.updated`).
 */
export class EmailVerificationRequestedListener extends Listener<'email-verification.requested'> {
  readonly subject = 'email-verification.requested' as const;

  constructor(private readonly deps: Pick<ListenerDeps, 'enqueueAccountMail'>) {
    super();
  }

  onMessage(data: EventData<'email-verification.requested'>) {
    return queueAccountMail(this.deps, 'email-verification', data);
  }
}
