import {
  applyVersioned,
  displayName,
  type EventData,
  type HandleResult,
  type ListenerContext,
  type Subject,
} from '@taskforge/common';
import type { AccountMail, AccountMailKind } from '../jobs/notification-jobs';
import type { NotificationKind } from '../models/notification';
import { Membership, membershipId, type MembershipAttrs } from '../replicas/membership';
import { TeamReplica } from '../replicas/team';
import { SOMEONE, UserReplica, isDeleted } from '../replicas/user';
import { links } from '../services/links';
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

/** What a member is told of a change to their membership (see `copyMembershipAndTell`). */
export interface MembershipNotice {
  /** The replica's fields the event sets. */
  fields: Partial<MembershipAttrs>;
  kind: NotificationKind;
  /** False when the change leaves the member nothing to hear about. */
  worthTelling: boolean;
  title(actor: string, teamName: string): string;
}

/**
 * A membership event's two jobs: it is copied into the replica in version order, then the
 * member hears about it, unless they made the change themselves. The text names the team, so
 * the event waits for `team.created` rather than guess.
 */
export async function copyMembershipAndTell<S extends 'member.added' | 'member.updated'>(
  deps: ListenerDeps,
  data: EventData<S>,
  context: ListenerContext<S>,
  notice: MembershipNotice,
): Promise<HandleResult> {
  const decision = await applyVersioned(
    Membership,
    { id: membershipId(data.teamId, data.userId), version: data.version },
    notice.fields,
  );
  if (decision === 'future') return 'retry';
  const actorId = context.event.metadata.actorId;
  if (actorId === data.userId || !notice.worthTelling) return 'ack';

  const team = await TeamReplica.findById(data.teamId).lean();
  if (!team) return 'retry';
  const actor = await nameOf(actorId);
  await deps.notifier.notify(sourceOf(context), [
    {
      recipientId: data.userId,
      kind: notice.kind,
      title: notice.title(actor, team.name),
      actorName: actor,
      link: links.team(data.teamId),
      teamId: data.teamId,
    },
  ]);
  return 'ack';
}
