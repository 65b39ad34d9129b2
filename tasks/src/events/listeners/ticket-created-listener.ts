import { applyVersioned, Listener, resultFor, type EventData } from '@taskforge/common';
import { Ticket } from '../../models/ticket';

export class TicketCreatedListener extends Listener<'ticket.created'> {
  readonly subject = 'ticket.created' as const;

  async onMessage(data: EventData<'ticket.created'>) {
    const fields = { title: data.title, price: data.price, userId: data.userId, deleted: false };
    return resultFor(await applyVersioned(Ticket, data, fields));
  }
}
