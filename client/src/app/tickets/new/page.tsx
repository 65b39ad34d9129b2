import type { Metadata } from 'next';
import { TicketForm } from '../../../components/ticket-form';
import { requireUser } from '../../../lib/server-api';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function NewTicketPage() {
  await requireUser('/tickets/new');
  return (
    <main id="main">
      <h1>Sell a ticket</h1>
      <TicketForm />
    </main>
  );
}
