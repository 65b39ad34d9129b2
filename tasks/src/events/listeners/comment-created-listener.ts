import { Listener, type EventData, type ListenerContext } from '@taskforge/common';
import { recordActivity } from '../../services/activity';

/** Writes the history entry of this service's own event, if the write's own attempt missed it. */
export class CommentCreatedListener extends Listener<'comment.created'> {
  readonly subject = 'comment.created' as const;

  async onMessage(
    _data: EventData<'comment.created'>,
    { event }: ListenerContext<'comment.created'>,
  ) {
    await recordActivity([event]);
  }
}
