'use client';

import { useState } from 'react';
import { api } from '../lib/http';

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  async function signOut() {
    setPending(true);
    try {
      await api('/api/users/signout', { method: 'POST' });
    } finally {
      // A full load: every server-rendered part and the live stream belonged to the session.
      window.location.assign('/');
    }
  }
  return (
    <button type="button" onClick={() => void signOut()} disabled={pending}>
      Sign out
    </button>
  );
}
