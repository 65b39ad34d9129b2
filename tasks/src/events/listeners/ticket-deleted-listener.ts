import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Ticket } from '../../models/ticket';

export class TicketDeletedListener extends Listener<'ticket.deleted'> {
  readonly subject = 'ticket.deleted' as const;

  async onMessage(data: EventData<'ticket.deleted'>) {
    const fields = { title: data.title, price: data.price, userId: data.userId, deleted: true };
    return resultFor(await applyVersioned(Ticket, data, fields));
  }
}
