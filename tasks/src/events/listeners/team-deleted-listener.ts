import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Membership } from '../../replicas/membership';
import { Team } from '../../replicas/team';

export class TeamDeletedListener extends Listener<'team.deleted'> {
  readonly subject = 'team.deleted' as const;

  async onMessage(data: EventData<'team.deleted'>) {
    const decision = await applyVersioned(Team, data, { deleted: true });
    // Also on a duplicate: a crash between the two writes is finished by the redelivery.
    if (decision !== 'future') {
      await Membership.updateMany({ teamId: data.id, active: true }, { $set: { active: false } });
    }
    return resultFor(decision);
  }
}
