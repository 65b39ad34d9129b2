import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { copyMembershipAndTell, type ListenerDeps } from '../listener-deps';

/** The new member hears about it, unless they added themselves (a team's creator). */
export class MemberAddedListener extends Listener<'member.added'> {
  readonly subject = 'member.added' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  onMessage(
    data: EventData<'member.added'>,
    context: ListenerContext<'member.added'>,
  ): Promise<HandleResult> {
    return copyMembershipAndTell(this.deps, data, context, {
      fields: { teamId: data.teamId, userId: data.userId, role: data.role, active: true },
      kind: 'member.added',
      worthTelling: true,
      title: (actor, teamName) => `${actor} added you to ${teamName} as ${data.role}`,
    });
  }
}
