import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { copyMembershipAndTell, type ListenerDeps } from '../listener-deps';

/** A changed role is told to the member whose role it is. */
export class MemberUpdatedListener extends Listener<'member.updated'> {
  readonly subject = 'member.updated' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  onMessage(
    data: EventData<'member.updated'>,
    context: ListenerContext<'member.updated'>,
  ): Promise<HandleResult> {
    return copyMembershipAndTell(this.deps, data, context, {
      fields: { role: data.role },
      kind: 'member.role_changed',
      worthTelling: data.previousRole !== data.role,
      title: (actor, teamName) => `${actor} made you ${data.role} in ${teamName}`,
    });
  }
}
