import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { TeamReplica } from '../../models/team';

/**
 * A deleted team revokes every membership in it: the membership check reads the team's flag, so
 * the member rows keep their own version sequence for a team that is never coming back anyway.
 */
export class TeamDeletedListener extends Listener<'team.deleted'> {
  readonly subject = 'team.deleted' as const;

  async onMessage(data: EventData<'team.deleted'>) {
    return resultFor(await applyVersioned(TeamReplica, data, { deleted: true }));
  }
}
