import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId } from '../../models/membership';

export class MemberRemovedListener extends Listener<'member.removed'> {
  readonly subject = 'member.removed' as const;

  async onMessage(data: EventData<'member.removed'>) {
    const membership = { id: membershipId(data.teamId, data.userId), version: data.version };
    return resultFor(
      await applyVersioned(Membership, membership, {
        teamId: data.teamId,
        userId: data.userId,
        role: data.role,
        active: false,
      }),
    );
  }
}
