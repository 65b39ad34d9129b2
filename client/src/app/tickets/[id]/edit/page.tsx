import type { Metadata } from 'next';
import Link from 'next/link';
import { TicketForm } from '../../../../components/ticket-form';
import { load, requireUser } from '../../../../lib/server-api';
import type { Ticket } from '../../../../lib/types';

export const metadata: Metadata = { title: 'Edit ticket' };

export default async function EditTicketPage({ params }: PageProps<'/tickets/[id]/edit'>) {
  const { id } = await params;
  const path = `/tickets/${id}/edit`;
  const user = await requireUser(path);
  const { body: ticket } = await load<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, path);
  if (ticket.userId !== user.id) {
    return (
      <main id="main">
        <div className="card stack" role="alert">
          <h1>Only the seller can edit this ticket</h1>
          <Link href={`/tickets/${ticket.id}`}>Back to the ticket</Link>
        </div>
      </main>
    );
  }
  return (
    <main id="main">
      <h1>Edit ticket</h1>
      <TicketForm ticket={ticket} />
    </main>
  );
}
