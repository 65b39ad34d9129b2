'use client';

import { useState } from 'react';
import { api } from '../../lib/http';
import { Field, FormErrorSummary, useApiForm } from '../form';

export function PasswordForm() {
  const { errors, pending, onSubmit } = useApiForm(['currentPassword', 'newPassword']);
  const [done, setDone] = useState(false);
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading" className="card-title">
        Change password
      </h2>
      <form
        className="form"
        noValidate
        onSubmit={onSubmit(async (data, form) => {
          setDone(false);
          await api('/api/users/me/password', {
            method: 'POST',
            body: {
              currentPassword: String(data.get('currentPassword') ?? ''),
              newPassword: String(data.get('newPassword') ?? ''),
            },
          });
          form.reset();
          setDone(true);
        })}
      >
        <FormErrorSummary errors={errors} />
        <Field
          name="currentPassword"
          label="Current password"
          error={errors.fields.currentPassword}
        >
          {(props) => <input {...props} type="password" autoComplete="current-password" />}
        </Field>
        <Field
          name="newPassword"
          label="New password"
          error={errors.fields.newPassword}
          hint="At least 8 characters."
        >
          {(props) => <input {...props} type="password" autoComplete="new-password" />}
        </Field>
        <div className="button-row">
          <button type="submit" className="primary" disabled={pending}>
            Change password
          </button>
          {done && (
            <span role="status" className="muted">
              Password changed.
            </span>
          )}
        </div>
      </form>
    </section>
  );
}
