'use client';

import { useRouter } from 'next/navigation';
import { api } from '../lib/http';
import type { Ticket } from '../lib/types';
import { Field, FormErrorSummary, useApiForm } from './form';

/** Create a ticket, or edit one (sending the version it was read at, so a lost update is refused). */
export function TicketForm({ ticket }: { ticket?: Ticket }) {
  const router = useRouter();
  const { errors, pending, onSubmit } = useApiForm(['title', 'price']);
  return (
    <form
      className="form card"
      noValidate
      onSubmit={onSubmit(async (data) => {
        const priceText = String(data.get('price') ?? '').trim();
        const body = {
          title: String(data.get('title') ?? ''),
          // An empty or malformed price goes as is, so the API names the problem on the field.
          price:
            priceText === '' || Number.isNaN(Number(priceText)) ? priceText : Number(priceText),
        };
        const saved = ticket
          ? await api<Ticket>(`/api/tickets/${ticket.id}`, {
              method: 'PUT',
              body: { ...body, version: ticket.version },
            })
          : await api<Ticket>('/api/tickets', { method: 'POST', body });
        router.push(`/tickets/${saved.id}`);
        router.refresh();
      })}
    >
      <FormErrorSummary errors={errors} />
      <Field name="title" label="Title" error={errors.fields.title}>
        {(props) => <input {...props} defaultValue={ticket?.title} maxLength={100} required />}
      </Field>
      <Field name="price" label="Price (USD)" error={errors.fields.price}>
        {(props) => (
          <input
            {...props}
            type="number"
            inputMode="decimal"
            min="0.01"
            step="0.01"
            defaultValue={ticket?.price}
            required
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          {ticket ? 'Save changes' : 'List ticket'}
        </button>
        <button type="button" onClick={() => router.back()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
