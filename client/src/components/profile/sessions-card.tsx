'use client';

import { useState } from 'react';
import { api } from '../../lib/http';

/** Ends every session of the account: this browser's, and any other signed in anywhere. */
export function SessionsCard() {
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);
  async function signOutEverywhere() {
    setPending(true);
    setFailed(false);
    try {
      await api('/api/users/signout-everywhere', { method: 'POST' });
      // A full load: this browser's session ended too.
      window.location.assign('/signin');
    } catch {
      setFailed(true);
      setPending(false);
    }
  }
  return (
    <section className="card" aria-labelledby="sessions-heading">
      <h2 id="sessions-heading" className="card-title">
        Sessions
      </h2>
      <p className="muted">
        Signed in on another device, or on one you no longer have? End every session of your
        account, this one included; changing your password does the same for every other one.
      </p>
      <div className="button-row">
        <button type="button" onClick={() => void signOutEverywhere()} disabled={pending}>
          Sign out everywhere
        </button>
        {failed && (
          <span role="alert" className="form-errors">
            That did not work; please try again.
          </span>
        )}
      </div>
    </section>
  );
}
