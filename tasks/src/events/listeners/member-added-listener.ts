import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId } from '../../models/membership';

export class MemberAddedListener extends Listener<'member.added'> {
  readonly subject = 'member.added' as const;

  // A re-added member continues the version count: version n updates the removed row at n - 1.
  async onMessage(data: EventData<'member.added'>) {
    const membership = { id: membershipId(data.teamId, data.userId), version: data.version };
    return resultFor(
      await applyVersioned(Membership, membership, {
        teamId: data.teamId,
        userId: data.userId,
        role: data.role,
        active: true,
      }),
    );
  }
}
