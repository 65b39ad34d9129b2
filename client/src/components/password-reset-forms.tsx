'use client';

import Link from 'next/link';
import { useState } from 'react';
import { api } from '../lib/http';
import { Field, FormErrorSummary, useApiForm } from './form';

/** Step one: an email address; the answer never says whether it has an account. */
export function ForgotPasswordForm() {
  const { errors, pending, onSubmit } = useApiForm(['email']);
  const [sentTo, setSentTo] = useState<string | null>(null);
  if (sentTo !== null) {
    return (
      <div className="card" role="status">
        <p>
          If <strong>{sentTo}</strong> has a TaskForge account, a link to choose a new password is
          on its way. It works once, for 30 minutes.
        </p>
        <p className="muted">
          Nothing arrived? Look in your spam folder, or{' '}
          <Link href="/forgot-password">ask again</Link>.
        </p>
      </div>
    );
  }
  return (
    <form
      className="form card"
      noValidate
      onSubmit={onSubmit(async (data) => {
        const email = String(data.get('email') ?? '');
        await api('/api/users/password-reset', { method: 'POST', body: { email } });
        setSentTo(email);
      })}
    >
      <FormErrorSummary errors={errors} />
      <Field name="email" label="Email" error={errors.fields.email}>
        {(props) => <input {...props} type="email" autoComplete="email" required />}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          Send me a link
        </button>
        <span className="muted">
          Remembered it? <Link href="/signin">Sign in</Link>
        </span>
      </div>
    </form>
  );
}

/** Step two, from the emailed link: a new password; every session of the account ends. */
export function ResetPasswordForm({ token }: { token: string }) {
  const { errors, pending, onSubmit } = useApiForm(['token', 'password']);
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <div className="card" role="status">
        <p>Your password is set, and every session of your account has ended.</p>
        <p>
          <Link href="/signin">Sign in with the new password</Link>
        </p>
      </div>
    );
  }
  return (
    <form
      className="form card"
      noValidate
      onSubmit={onSubmit(async (data) => {
        await api('/api/users/password-reset/confirm', {
          method: 'POST',
          body: { token, password: String(data.get('password') ?? '') },
        });
        setDone(true);
      })}
    >
      <FormErrorSummary errors={errors} />
      {errors.fields.token && (
        <p className="form-errors" role="alert">
          {errors.fields.token} <Link href="/forgot-password">Ask for a new link</Link>.
        </p>
      )}
      <Field
        name="password"
        label="New password"
        error={errors.fields.password}
        hint="At least 8 characters."
      >
        {(props) => <input {...props} type="password" autoComplete="new-password" required />}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          Set the new password
        </button>
      </div>
    </form>
  );
}
