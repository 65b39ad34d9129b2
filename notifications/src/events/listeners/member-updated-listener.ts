import {
  applyVersioned,
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { Membership, membershipId } from '../../replicas/membership';
import { TeamReplica } from '../../replicas/team';
import { links } from '../../services/links';
import { nameOf, sourceOf, type ListenerDeps } from '../listener-deps';

/** A changed role is told to the member whose role it is. */
export class MemberUpdatedListener extends Listener<'member.updated'> {
  readonly subject = 'member.updated' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(
    data: EventData<'member.updated'>,
    context: ListenerContext<'member.updated'>,
  ): Promise<HandleResult> {
    const { event } = context;
    const decision = await applyVersioned(
      Membership,
      { id: membershipId(data.teamId, data.userId), version: data.version },
      { role: data.role },
    );
    if (decision === 'future') return 'retry';
    const actorId = event.metadata.actorId;
    if (actorId === data.userId || data.previousRole === data.role) return 'ack';

    const team = await TeamReplica.findById(data.teamId).lean();
    if (!team) return 'retry';
    const actor = await nameOf(actorId);
    await this.deps.notifier.notify(sourceOf(context), [
      {
        recipientId: data.userId,
        kind: 'member.role_changed',
        title: `${actor} made you ${data.role} in ${team.name}`,
        actorName: actor,
        link: links.team(data.teamId),
        teamId: data.teamId,
      },
    ]);
    return 'ack';
  }
}
