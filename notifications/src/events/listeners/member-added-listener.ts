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

/** The new member hears about it, unless they added themselves (a team's creator). */
export class MemberAddedListener extends Listener<'member.added'> {
  readonly subject = 'member.added' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(
    data: EventData<'member.added'>,
    context: ListenerContext<'member.added'>,
  ): Promise<HandleResult> {
    const { event } = context;
    const decision = await applyVersioned(
      Membership,
      { id: membershipId(data.teamId, data.userId), version: data.version },
      { teamId: data.teamId, userId: data.userId, role: data.role, active: true },
    );
    if (decision === 'future') return 'retry';
    const actorId = event.metadata.actorId;
    if (actorId === data.userId) return 'ack';

    // The text names the team: wait for team.created rather than guess.
    const team = await TeamReplica.findById(data.teamId).lean();
    if (!team) return 'retry';
    const actor = await nameOf(actorId);
    await this.deps.notifier.notify(sourceOf(context), [
      {
        recipientId: data.userId,
        kind: 'member.added',
        title: `${actor} added you to ${team.name} as ${data.role}`,
        actorName: actor,
        link: links.team(data.teamId),
        teamId: data.teamId,
      },
    ]);
    return 'ack';
  }
}
