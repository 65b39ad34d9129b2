'use client';

import { api } from '../../lib/http';
import { Field, FormErrorSummary, useApiForm } from '../form';

/**
 * Deleting the account, with the password. A last admin of a team is told which teams to hand
 * over or delete first (the API's 409 message, shown above the form).
 */
export function DeleteAccountCard() {
  const { errors, pending, onSubmit } = useApiForm(['password']);
  return (
    <section className="card danger-zone" aria-labelledby="delete-account-heading">
      <h2 id="delete-account-heading" className="card-title">
        Delete account
      </h2>
      <p className="muted">
        Your profile, memberships, notifications and pending emails are deleted and every session
        ends. Tasks and comments you wrote stay with your teams, by an unknown user. This cannot be
        undone.
      </p>
      <form
        className="form"
        noValidate
        onSubmit={onSubmit(async (data) => {
          if (!window.confirm('Delete your account for good?')) return;
          await api('/api/users/me', {
            method: 'DELETE',
            body: { password: String(data.get('password') ?? '') },
          });
          // A full load: the session ended with the account.
          window.location.assign('/');
        })}
      >
        <FormErrorSummary errors={errors} />
        <Field name="password" label="Your password" error={errors.fields.password}>
          {(props) => <input {...props} type="password" autoComplete="current-password" />}
        </Field>
        <div className="button-row">
          <button type="submit" className="danger" disabled={pending}>
            Delete my account
          </button>
        </div>
      </form>
    </section>
  );
}
