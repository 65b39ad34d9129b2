import { Listener, type EventData } from '@taskforge/common';
import { queueAccountMail, type ListenerDeps } from '../listener-deps';

/** Queues the email of a password reset (see `queueAccountMail`). */
export class PasswordResetRequestedListener extends Listener<'password-reset.requested'> {
  readonly subject = 'password-reset.requested' as const;

  constructor(private readonly deps: Pick<ListenerDeps, 'enqueueAccountMail'>) {
    super();
  }

  onMessage(data: EventData<'password-reset.requested'>) {
    return queueAccountMail(this.deps, 'password-reset', data);
  }
}
