import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId } from '../../models/membership';

export class MemberUpdatedListener extends Listener<'member.updated'> {
  readonly subject = 'member.updated' as const;

  async onMessage(data: EventData<'member.updated'>) {
    const membership = { id: membershipId(data.teamId, data.userId), version: data.version };
    return resultFor(await applyVersioned(Membership, membership, { role: data.role }));
  }
}
