import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import { recordActivity } from '../../services/activity';

/** Writes the history entry of this service's own event, if the write's own attempt missed it. */
export class AttachmentRemovedListener extends Listener<'attachment.removed'> {
  readonly subject = 'attachment.removed' as const;

  async onMessage(
    _data: EventData<'attachment.removed'>,
    { event }: ListenerContext<'attachment.removed'>,
  ) {
    await recordActivity([event]);
  }
}
