'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '../../lib/http';
import type { User } from '../../lib/types';
import { Avatar } from '../avatar';
import { Field, FormErrorSummary, useApiForm } from '../form';

const FIELDS = ['firstName', 'lastName', 'bio', 'avatarUrl'] as const;

export function ProfileForm({ user }: { user: User }) {
  const router = useRouter();
  const { errors, pending, onSubmit } = useApiForm(FIELDS);
  const [saved, setSaved] = useState(false);
  return (
    <section className="card" aria-labelledby="profile-heading">
      <div className="card-meta">
        <Avatar person={user} />
        <h2 id="profile-heading" className="flush">
          {user.email}
        </h2>
      </div>
      <form
        className="form space-above-l"
        noValidate
        onSubmit={onSubmit(async (data) => {
          setSaved(false);
          const body = Object.fromEntries(
            FIELDS.map((field) => [field, String(data.get(field) ?? '').trim() || null]),
          );
          await api('/api/users/me', { method: 'PATCH', body });
          setSaved(true);
          router.refresh();
        })}
      >
        <FormErrorSummary errors={errors} />
        <div className="inline-form">
          <Field name="firstName" label="First name" error={errors.fields.firstName}>
            {(props) => (
              <input {...props} defaultValue={user.firstName ?? ''} autoComplete="given-name" />
            )}
          </Field>
          <Field name="lastName" label="Last name" error={errors.fields.lastName}>
            {(props) => (
              <input {...props} defaultValue={user.lastName ?? ''} autoComplete="family-name" />
            )}
          </Field>
        </div>
        <Field name="bio" label="Bio" error={errors.fields.bio}>
          {(props) => <textarea {...props} defaultValue={user.bio ?? ''} rows={3} />}
        </Field>
        <Field
          name="avatarUrl"
          label="Avatar URL"
          error={errors.fields.avatarUrl}
          hint="A link to a picture of you (https://…)."
        >
          {(props) => <input {...props} type="url" defaultValue={user.avatarUrl ?? ''} />}
        </Field>
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending}>
            Save profile
          </button>
          {saved && (
            <span role="status" className="muted">
              Saved.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
