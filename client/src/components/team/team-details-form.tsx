'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '../../lib/http';
import type { Team } from '../../lib/types';
import { Field, FormErrorSummary, useApiForm } from '../form';

export function TeamDetailsForm({ team, canUpdate }: { team: Team; canUpdate: boolean }) {
  const router = useRouter();
  const { errors, pending, onSubmit } = useApiForm(['name', 'description']);
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="details-heading">
      <h2 id="details-heading" className="card-title">
        Name and description
      </h2>
      <form
        className="form"
        noValidate
        onSubmit={onSubmit(async (data) => {
          setSaved(false);
          await api(`/api/teams/${team.id}`, {
            method: 'PATCH',
            body: {
              name: String(data.get('name') ?? ''),
              description: String(data.get('description') ?? '').trim() || null,
            },
          });
          setSaved(true);
          router.refresh();
        })}
      >
        <FormErrorSummary errors={errors} />
        <Field name="name" label="Team name" error={errors.fields.name}>
          {(props) => (
            <input {...props} defaultValue={team.name} maxLength={100} disabled={!canUpdate} />
          )}
        </Field>
        <Field name="description" label="Description" error={errors.fields.description}>
          {(props) => (
            <textarea
              {...props}
              defaultValue={team.description ?? ''}
              rows={2}
              disabled={!canUpdate}
            />
          )}
        </Field>
        {canUpdate ? (
          <div className="button-row">
            <button type="submit" className="primary" disabled={pending}>
              Save
            </button>
            {saved && (
              <span role="status" className="muted">
                Saved.
              </span>
            )}
          </div>
        ) : (
          <p className="muted small">Your role cannot rename the team.</p>
        )}
      </form>
    </section>
  );
}
