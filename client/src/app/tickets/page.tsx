import type { Metadata } from 'next';
import Link from 'next/link';
import { formatPrice } from '../../lib/format';
import { ApiError, errorsFromBody } from '../../lib/api-errors';
import { apiGet, currentUser, nextCursor } from '../../lib/server-api';
import type { Ticket } from '../../lib/types';

export const metadata: Metadata = { title: 'Tickets' };

function param(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

export default async function TicketsPage({ searchParams }: PageProps<'/tickets'>) {
  const params = await searchParams;
  const filters = {
    q: param(params.q),
    minPrice: param(params.minPrice),
    maxPrice: param(params.maxPrice),
  };
  const cursor = param(params.cursor);
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  const user = await currentUser();

  // An invalid filter (say a negative price) is answered 400: show it instead of failing the page.
  const apiQuery = new URLSearchParams(query);
  apiQuery.set('limit', '20');
  if (cursor) apiQuery.set('cursor', cursor);
  const res = await apiGet<Ticket[] | { errors: { message: string }[] }>(
    `/api/tickets?${apiQuery}`,
  );
  const tickets = res.status === 200 && Array.isArray(res.body) ? res.body : [];
  const filterError =
    res.status === 400 && !Array.isArray(res.body) ? res.body.errors[0]?.message : undefined;
  if (res.status !== 200 && res.status !== 400) {
    throw new ApiError(res.status, errorsFromBody(res.status, res.body));
  }
  const next = res.status === 200 ? nextCursor(res) : undefined;
  const filtered = query.toString() !== '';

  return (
    <main id="main">
      <div className="page-head">
        <h1>Tickets</h1>
        {user && (
          <Link href="/tickets/new" className="button primary">
            Sell a ticket
          </Link>
        )}
      </div>
      <form className="filters card" method="get" role="search" aria-label="Filter tickets">
        <div className="field">
          <label htmlFor="ticket-q">Search</label>
          <input
            id="ticket-q"
            name="q"
            type="search"
            defaultValue={filters.q}
            placeholder="Title contains…"
          />
        </div>
        <div className="field">
          <label htmlFor="ticket-min">Min price</label>
          <input
            id="ticket-min"
            name="minPrice"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            defaultValue={filters.minPrice}
          />
        </div>
        <div className="field">
          <label htmlFor="ticket-max">Max price</label>
          <input
            id="ticket-max"
            name="maxPrice"
            type="number"
            min="0"
            step="0.01"
            inputMode="decimal"
            defaultValue={filters.maxPrice}
          />
        </div>
        <div className="button-row">
          <button type="submit" className="primary">
            Filter
          </button>
          {filtered && (
            <Link href="/tickets" className="button">
              Clear
            </Link>
          )}
        </div>
      </form>
      {filterError && (
        <p className="form-errors" role="alert">
          {filterError}
        </p>
      )}
      {tickets.length === 0 ? (
        <p className="empty">
          {filtered ? 'No tickets match these filters.' : 'No tickets for sale yet.'}{' '}
          {user && !filtered && <Link href="/tickets/new">Sell the first one.</Link>}
        </p>
      ) : (
        <ul className="list" aria-label="Tickets for sale">
          {tickets.map((ticket) => (
            <li key={ticket.id} className="card ticket-row">
              <Link href={`/tickets/${ticket.id}`} className="title">
                {ticket.title}
              </Link>
              <span>
                {user?.id === ticket.userId && <span className="badge">Yours</span>}{' '}
                <strong>{formatPrice(ticket.price)}</strong>
              </span>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <nav className="pager" aria-label="Pages">
          <Link
            className="button"
            href={`/tickets?${new URLSearchParams({ ...Object.fromEntries(query), cursor: next })}`}
          >
            Next page
          </Link>
        </nav>
      )}
    </main>
  );
}
