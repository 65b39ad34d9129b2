import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Team } from '../../models/team';

export class TeamUpdatedListener extends Listener<'team.updated'> {
  readonly subject = 'team.updated' as const;

  async onMessage(data: EventData<'team.updated'>) {
    const fields = { name: data.name, permissions: data.permissions };
    return resultFor(await applyVersioned(Team, data, fields));
  }
}
