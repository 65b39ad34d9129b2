import type { ListenerContext, Subject } from '@taskforge/common';
import type { PasswordResetMail } from '../jobs/notification-jobs';
import { UNKNOWN_USER, UserReplica, displayName } from '../models/user';
import type { NotificationSource, Notifier } from '../services/notifier';

export interface ListenerDeps {
  notifier: Notifier;
  /** Queues the email of a password reset (see `NotificationJobs.enqueuePasswordReset`). */
  enqueuePasswordReset(mail: PasswordResetMail): Promise<void>;
  /** Removes what the service holds of a deleted user (see `forgetUser`). */
  forgetUser(userId: string): Promise<void>;
}

/** The actor's name as the replica knows it now ("Someone" when unknown or deleted). */
export async function nameOf(userId: string | null | undefined): Promise<string> {
  if (!userId) return UNKNOWN_USER;
  return displayName(await UserReplica.findById(userId).lean());
}

/**
 * What the notifier keeps of the event being handled: its id, who caused it (the envelope's
 * actor unless given), when it happened and its place in the stream.
 */
export function sourceOf<S extends Subject>(
  { event, msg }: ListenerContext<S>,
  actorId: string | null | undefined = event.metadata.actorId,
): NotificationSource {
  return { eventId: event.id, actorId, occurredAt: event.occurredAt, sequence: msg.seq };
}
