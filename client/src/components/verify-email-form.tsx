'use client';

import Link from 'next/link';
import { useState } from 'react';
import { api } from '../lib/http';
import { FormErrorSummary, useApiForm } from './form';

/**
 * The emailed link's page. It verifies on a click, not on load: mail scanners that open links
 * to check them would otherwise use the link up.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const { errors, pending, onSubmit } = useApiForm(['token']);
  const [done, setDone] = useState(false);
  if (done) {
    return (
      <div className="card" role="status">
        <p>Your email address is verified: teammates can add you to their teams by it.</p>
        <p>
          <Link href="/teams">Go to your teams</Link>
        </p>
      </div>
    );
  }
  return (
    <form
      className="form card"
      noValidate
      onSubmit={onSubmit(async () => {
        await api('/api/users/email-verification/confirm', { method: 'POST', body: { token } });
        setDone(true);
      })}
    >
      <FormErrorSummary errors={errors} />
      {errors.fields.token && (
        <p className="form-errors" role="alert">
          {errors.fields.token}. Your <Link href="/profile">profile</Link> can send a new one.
        </p>
      )}
      <p>Confirm that this address is yours.</p>
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          Verify my email address
        </button>
      </div>
    </form>
  );
}
