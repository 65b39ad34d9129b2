import type { Metadata } from 'next';
import Link from 'next/link';
import { displayName } from '@taskforge/common/display-name';
import { DeleteTicketButton } from '../../../components/delete-ticket-button';
import { formatPrice } from '../../../lib/format';
import { apiGet, currentUser, load } from '../../../lib/server-api';
import type { PublicUser, Ticket } from '../../../lib/types';

export const metadata: Metadata = { title: 'Ticket' };

export default async function TicketPage({ params }: PageProps<'/tickets/[id]'>) {
  const { id } = await params;
  const path = `/tickets/${id}`;
  const { body: ticket } = await load<Ticket>(`/api/tickets/${encodeURIComponent(id)}`, path);
  const [user, seller] = await Promise.all([
    currentUser(),
    apiGet<PublicUser>(`/api/users/${encodeURIComponent(ticket.userId)}`),
  ]);
  const owner = user?.id === ticket.userId;
  return (
    <main id="main">
      <article className="card stack">
        <h1>{ticket.title}</h1>
        <p className="stat">{formatPrice(ticket.price)}</p>
        <p className="muted">
          Sold by{' '}
          {owner
            ? 'you'
            : seller.status === 200
              ? displayName({ ...seller.body, email: null })
              : 'a TaskForge user'}
          {ticket.orderId ? ' · reserved' : ''}
        </p>
        {owner && (
          <div className="button-row">
            <Link href={`${path}/edit`} className="button primary">
              Edit
            </Link>
            <DeleteTicketButton ticketId={ticket.id} />
          </div>
        )}
      </article>
      <p>
        <Link href="/tickets">← All tickets</Link>
      </p>
    </main>
  );
}
