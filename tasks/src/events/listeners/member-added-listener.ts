import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership, membershipId } from '../../replicas/membership';
import { Team } from '../../replicas/team';

export class MemberAddedListener extends Listener<'member.added'> {
  readonly subject = 'member.added' as const;

  // A re-added member continues the version count: version n updates the removed row at n - 1.
  async onMessage(data: EventData<'member.added'>) {
    const membership = { id: membershipId(data.teamId, data.userId), version: data.version };
    // Delivered after its team's deletion (redeliveries interleave), it must not revive the
    // membership that team.deleted turned off.
    const team = await Team.findById(data.teamId, { deleted: 1 }).lean();
    return resultFor(
      await applyVersioned(Membership, membership, {
        teamId: data.teamId,
        userId: data.userId,
        role: data.role,
        active: !team?.deleted,
      }),
    );
  }
}
