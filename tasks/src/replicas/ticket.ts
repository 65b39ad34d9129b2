import { replicaListener, type EventData, type Listener } from '@taskforge/common';
import mongoose, { Schema } from 'mongoose';

/** Tickets a task may link to, replicated from `ticket.*` (the reference app's pattern). */
export interface TicketReplica {
  _id: string;
  title: string;
  price: number;
  userId: string;
  deleted: boolean;
  version: number;
}

export const Ticket = mongoose.model<TicketReplica>(
  'Ticket',
  new Schema<TicketReplica>(
    {
      _id: { type: String, required: true },
      title: { type: String, required: true },
      price: { type: Number, required: true },
      userId: { type: String, required: true },
      deleted: { type: Boolean, default: false },
      version: { type: Number, required: true },
    },
    { versionKey: false },
  ),
);

/** What tasks keeps of a ticket a task may link (a deleted one stays, marked). */
const ticketFields = (deleted: boolean) => (data: EventData<'ticket.updated'>) => ({
  title: data.title,
  price: data.price,
  userId: data.userId,
  deleted,
});

export const ticketReplicaListeners: Listener[] = [
  replicaListener('ticket.created', Ticket, ticketFields(false)),
  replicaListener('ticket.updated', Ticket, ticketFields(false)),
  replicaListener('ticket.deleted', Ticket, ticketFields(true)),
];
