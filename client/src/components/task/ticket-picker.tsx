'use client';

import { useState } from 'react';
import { api } from '../../lib/http';
import { formatPrice } from '../../lib/format';
import type { Ticket } from '../../lib/types';

/** Finds a ticket by its title to link the task to. */
export function TicketPicker({ onPick }: { onPick: (ticket: Ticket) => void }) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Ticket[] | null>(null);
  const [pending, setPending] = useState(false);

  async function search() {
    setPending(true);
    try {
      setResults(await api<Ticket[]>(`/api/tickets?limit=8&q=${encodeURIComponent(query.trim())}`));
    } catch {
      setResults([]);
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="stack">
      <div className="inline-form">
        <input
          aria-labelledby="ticket-label"
          type="search"
          placeholder="Search tickets by title"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void search();
            }
          }}
        />
        <button type="button" onClick={() => void search()} disabled={pending}>
          Find ticket
        </button>
      </div>
      {results && results.length === 0 && <p className="muted small">No tickets found.</p>}
      {results && results.length > 0 && (
        <ul className="list" aria-label="Tickets found">
          {results.map((ticket) => (
            <li key={ticket.id}>
              <button type="button" onClick={() => onPick(ticket)}>
                Link “{ticket.title}” ({formatPrice(ticket.price)})
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
