import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId } from '../../models/membership';

/** A removed member stops receiving the team's board changes from the next message on. */
export class MemberRemovedListener extends Listener<'member.removed'> {
  readonly subject = 'member.removed' as const;

  async onMessage(data: EventData<'member.removed'>) {
    return resultFor(
      await applyVersioned(
        Membership,
        { id: membershipId(data.teamId, data.userId), version: data.version },
        { role: data.role, active: false },
      ),
    );
  }
}
