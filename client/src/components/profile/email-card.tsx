'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { api } from '../../lib/http';
import type { User } from '../../lib/types';
import { Field, FormErrorSummary, useApiForm } from '../form';

/**
 * The account's address: whether it is verified (teammates can add only a verified address by
 * email), the link mailed again, and a change of address, which takes effect once the link
 * mailed to the new one is opened.
 */
export function EmailCard({ user }: { user: User }) {
  const router = useRouter();
  const resend = useApiForm([]);
  const change = useApiForm(['email', 'password']);
  const [resent, setResent] = useState(false);
  const awaited = user.pendingEmail ?? (user.emailVerified ? null : user.email);
  return (
    <section className="card" aria-labelledby="email-heading">
      <h2 id="email-heading" className="card-title">
        Email address
      </h2>
      <p data-testid="email-status">
        <strong>{user.email}</strong>{' '}
        {user.emailVerified ? (
          <span className="badge">Verified</span>
        ) : (
          <span className="badge warning">Not verified</span>
        )}
      </p>
      {awaited && (
        <div className="stack">
          <p className="muted">
            {user.pendingEmail
              ? `Your address changes to ${user.pendingEmail} once you open the link we mailed there.`
              : 'Open the link we mailed you to verify it: until then, teammates cannot add you to a team by email.'}
          </p>
          <FormErrorSummary errors={resend.errors} />
          <div className="button-row">
            <button
              type="button"
              disabled={resend.pending}
              onClick={() =>
                void resend.run(async () => {
                  setResent(false);
                  await api('/api/users/me/email-verification', { method: 'POST' });
                  setResent(true);
                })
              }
            >
              Send the link again
            </button>
            {resent && (
              <span role="status" className="muted">
                A new link is on its way to {awaited}.
              </span>
            )}
          </div>
        </div>
      )}
      <form
        className="form"
        noValidate
        onSubmit={change.onSubmit(async (data, form) => {
          await api('/api/users/me/email', {
            method: 'POST',
            body: {
              email: String(data.get('newEmail') ?? ''),
              password: String(data.get('emailPassword') ?? ''),
            },
          });
          form.reset();
          setResent(false);
          router.refresh();
        })}
      >
        <FormErrorSummary errors={change.errors} />
        <Field name="newEmail" label="New email address" error={change.errors.fields.email}>
          {(props) => <input {...props} type="email" autoComplete="email" />}
        </Field>
        {/* Named apart from the delete card's password field, on the same page. */}
        <Field name="emailPassword" label="Password" error={change.errors.fields.password}>
          {(props) => <input {...props} type="password" autoComplete="current-password" />}
        </Field>
        <div className="button-row">
          <button type="submit" disabled={change.pending}>
            Change email address
          </button>
        </div>
      </form>
    </section>
  );
}
