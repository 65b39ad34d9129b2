import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Team } from '../../models/team';

export class TeamCreatedListener extends Listener<'team.created'> {
  readonly subject = 'team.created' as const;

  async onMessage(data: EventData<'team.created'>) {
    const fields = { name: data.name, permissions: data.permissions, deleted: false };
    return resultFor(await applyVersioned(Team, data, fields));
  }
}
