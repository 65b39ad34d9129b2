import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import type { ActivityType } from '../../models/activity';
import { recordActivity } from '../../services/activity';

/**
 * The catch-up writer of a task's history, for one of this service's own events. The write that
 * recorded the event wrote its entry already (so the writer reads it back at once), unless that
 * failed or the process died between the save and it; the event, in the outbox with the save,
 * still arrives here. Keyed by the event id, an entry written twice is written once.
 */
export function activityListener<S extends ActivityType>(subject: S): Listener<S> {
  return new (class extends Listener<S> {
    readonly subject = subject;

    async onMessage(_data: EventData<S>, { event }: ListenerContext<S>): Promise<void> {
      await recordActivity([event]);
    }
  })();
}
