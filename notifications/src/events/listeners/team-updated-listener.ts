import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { TeamReplica } from '../../models/team';

export class TeamUpdatedListener extends Listener<'team.updated'> {
  readonly subject = 'team.updated' as const;

  async onMessage(data: EventData<'team.updated'>) {
    return resultFor(await applyVersioned(TeamReplica, data, { name: data.name }));
  }
}
