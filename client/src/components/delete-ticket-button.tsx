'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formErrorsOf } from '../lib/api-errors';
import { api } from '../lib/http';

export function DeleteTicketButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  async function remove() {
    if (!window.confirm('Withdraw this ticket from sale?')) return;
    setPending(true);
    try {
      await api(`/api/tickets/${ticketId}`, { method: 'DELETE' });
      router.push('/tickets');
      router.refresh();
    } catch (err) {
      setError(formErrorsOf(err, []).general.join(' '));
      setPending(false);
    }
  }
  return (
    <>
      <button type="button" className="danger" onClick={() => void remove()} disabled={pending}>
        Delete
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
