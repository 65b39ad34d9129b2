import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import { recordActivity } from '../../services/activity';

/** Writes the history entry of this service's own event, if the write's own attempt missed it. */
export class TaskCreatedListener extends Listener<'task.created'> {
  readonly subject = 'task.created' as const;

  async onMessage(_data: EventData<'task.created'>, { event }: ListenerContext<'task.created'>) {
    await recordActivity([event]);
  }
}
