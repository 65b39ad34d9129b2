import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Ticket } from '../../models/ticket';

export class TicketUpdatedListener extends Listener<'ticket.updated'> {
  readonly subject = 'ticket.updated' as const;

  async onMessage(data: EventData<'ticket.updated'>) {
    const fields = { title: data.title, price: data.price, userId: data.userId, deleted: false };
    return resultFor(await applyVersioned(Ticket, data, fields));
  }
}
