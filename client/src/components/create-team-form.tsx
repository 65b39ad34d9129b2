'use client';

import { useRouter } from 'next/navigation';
import { api } from '../lib/http';
import type { Team } from '../lib/types';
import { Field, FormErrorSummary, useApiForm } from './form';

export function CreateTeamForm() {
  const router = useRouter();
  const { errors, pending, onSubmit } = useApiForm(['name', 'description']);
  return (
    <form
      className="form card"
      noValidate
      aria-label="Create a team"
      onSubmit={onSubmit(async (data) => {
        const description = String(data.get('description') ?? '').trim();
        const team = await api<Team>('/api/teams', {
          method: 'POST',
          body: { name: String(data.get('name') ?? ''), ...(description ? { description } : {}) },
        });
        router.push(`/teams/${team.id}`);
      })}
    >
      <h2 className="flush">Create a team</h2>
      <FormErrorSummary errors={errors} />
      <Field name="name" label="Team name" error={errors.fields.name}>
        {(props) => <input {...props} maxLength={100} required />}
      </Field>
      <Field name="description" label="Description (optional)" error={errors.fields.description}>
        {(props) => <textarea {...props} rows={2} />}
      </Field>
      <div>
        <button type="submit" className="primary" disabled={pending}>
          Create team
        </button>
      </div>
    </form>
  );
}
