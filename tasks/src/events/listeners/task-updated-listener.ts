import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import { recordActivity } from '../../services/activity';

/** Writes the history entry of this service's own event, if the write's own attempt missed it. */
export class TaskUpdatedListener extends Listener<'task.updated'> {
  readonly subject = 'task.updated' as const;

  async onMessage(_data: EventData<'task.updated'>, { event }: ListenerContext<'task.updated'>) {
    await recordActivity([event]);
  }
}
