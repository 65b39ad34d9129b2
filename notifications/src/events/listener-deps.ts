import { displayName, type EventData, type ListenerContext, type Subject } from '@taskforge/common';
import type { AccountMail, AccountMailKind } from '../jobs/notification-jobs';
import { SOMEONE, UserReplica, isDeleted } from '../replicas/user';
import type { NotificationSource, Notifier } from '../services/notifier';

export interface ListenerDeps {
  notifier: Notifier;
  /** Queues the email of an account link (see `NotificationJobs.enqueueAccountMail`). */
  enqueueAccountMail(mail: AccountMail): Promise<void>;
  /** Removes what the service holds of a deleted user (see `forgetUser`). */
  forgetUser(userId: string): Promise<void>;
}

/** The actor's name as the replica knows it now ("Someone" when unknown or deleted). */
export async function nameOf(userId: string | null | undefined): Promise<string> {
  if (!userId) return SOMEONE;
  return displayName(await UserReplica.findById(userId).lean(), SOMEONE);
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

/**
 * Queues the email of a link the account asked for (one job per link: a redelivered event adds
 * nothing). It goes to the event's address, whatever the user's notification settings. Nothing of
 * it is stored here besides the job, which holds the link until it is sent. A link for an account
 * deleted since is dropped.
 */
export async function queueAccountMail(
  deps: Pick<ListenerDeps, 'enqueueAccountMail'>,
  kind: AccountMailKind,
  data: EventData<'password-reset.requested' | 'email-verification.requested'>,
): Promise<void> {
  if (await isDeleted(data.userId)) return;
  const { id, userId, email, token, expiresAt } = data;
  await deps.enqueueAccountMail({ kind, id, userId, email, token, expiresAt });
}
