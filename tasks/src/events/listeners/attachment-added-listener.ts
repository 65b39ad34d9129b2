import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import { recordActivity } from '../../services/activity';

/** Writes the history entry of this service's own event, if the write's own attempt missed it. */
export class AttachmentAddedListener extends Listener<'attachment.added'> {
  readonly subject = 'attachment.added' as const;

  async onMessage(
    _data: EventData<'attachment.added'>,
    { event }: ListenerContext<'attachment.added'>,
  ) {
    await recordActivity([event]);
  }
}
