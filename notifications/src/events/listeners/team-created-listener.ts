import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { TeamReplica } from '../../models/team';

export class TeamCreatedListener extends Listener<'team.created'> {
  readonly subject = 'team.created' as const;

  async onMessage(data: EventData<'team.created'>) {
    return resultFor(await applyVersioned(TeamReplica, data, { name: data.name, deleted: false }));
  }
}
