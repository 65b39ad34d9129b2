import { Listener, type EventData } from '@taskforge/common';
import type { PasswordResetMail } from '../../jobs/notification-jobs';
import { isDeleted } from '../../models/user';

/**
 * Queues the email of a password reset (one job per reset: a redelivered event adds nothing).
 * Nothing of it is stored here besides the job, which holds the link until it is sent. A reset
 * of an account deleted since is dropped.
 */
export class PasswordResetRequestedListener extends Listener<'password-reset.requested'> {
  readonly subject = 'password-reset.requested' as const;

  constructor(private readonly deps: { enqueue(mail: PasswordResetMail): Promise<void> }) {
    super();
  }

  async onMessage(data: EventData<'password-reset.requested'>) {
    if (await isDeleted(data.userId)) return;
    await this.deps.enqueue({
      resetId: data.id,
      userId: data.userId,
      email: data.email,
      token: data.token,
      expiresAt: data.expiresAt,
    });
  }
}
