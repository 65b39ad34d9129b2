'use client';

import Link from 'next/link';
import { api } from '../lib/http';
import { Field, FormErrorSummary, useApiForm } from './form';

/** Sign in or sign up: the API sets the session cookie, then a full load picks it up everywhere. */
export function AuthForm({ mode, next }: { mode: 'signin' | 'signup'; next: string }) {
  const { errors, pending, onSubmit } = useApiForm(['email', 'password']);
  const signingUp = mode === 'signup';
  return (
    <form
      className="form card"
      noValidate
      onSubmit={onSubmit(async (data) => {
        await api(`/api/users/${mode}`, {
          method: 'POST',
          body: {
            email: String(data.get('email') ?? ''),
            password: String(data.get('password') ?? ''),
          },
        });
        window.location.assign(next);
      })}
    >
      <FormErrorSummary errors={errors} />
      <Field name="email" label="Email" error={errors.fields.email}>
        {(props) => <input {...props} type="email" autoComplete="email" required />}
      </Field>
      <Field
        name="password"
        label="Password"
        error={errors.fields.password}
        hint={signingUp ? 'At least 8 characters.' : undefined}
      >
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete={signingUp ? 'new-password' : 'current-password'}
            required
          />
        )}
      </Field>
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          {signingUp ? 'Sign up' : 'Sign in'}
        </button>
        {signingUp ? (
          <span className="muted">
            Have an account? <Link href={`/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
          </span>
        ) : (
          <span className="muted">
            New here?{' '}
            <Link href={`/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
            {' · '}
            <Link href="/forgot-password">Forgot your password?</Link>
          </span>
        )}
      </div>
    </form>
  );
}
