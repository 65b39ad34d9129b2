'use client';

import { useState } from 'react';
import { api } from '../../lib/http';
import type { Team } from '../../lib/types';
import { FormErrorSummary, useApiForm } from '../form';

/** Leaving the team, and deleting it (typing its name to confirm). */
export function DangerZone({
  team,
  currentUserId,
  canDelete,
}: {
  team: Team;
  currentUserId: string;
  canDelete: boolean;
}) {
  const [confirmation, setConfirmation] = useState('');
  const { errors, pending, run } = useApiForm([]);
  return (
    <section className="card danger-zone" aria-labelledby="danger-heading">
      <h2 id="danger-heading" className="card-title">
        Danger zone
      </h2>
      <FormErrorSummary errors={errors} />
      <div className="stack">
        <div className="button-row">
          <button
            type="button"
            className="danger"
            disabled={pending}
            onClick={() => {
              if (!window.confirm(`Leave ${team.name}?`)) return;
              void run(async () => {
                await api(`/api/teams/${team.id}/members/${encodeURIComponent(currentUserId)}`, {
                  method: 'DELETE',
                });
                window.location.assign('/teams');
              });
            }}
          >
            Leave team
          </button>
          <span className="muted small">
            The last admin cannot leave; make someone else admin first.
          </span>
        </div>
        {canDelete && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void run(async () => {
                await api(`/api/teams/${team.id}`, { method: 'DELETE' });
                window.location.assign('/teams');
              });
            }}
          >
            <div className="field">
              <label htmlFor="delete-confirmation">
                Type the team name to delete it with its tasks
              </label>
              <input
                id="delete-confirmation"
                value={confirmation}
                onChange={(event) => setConfirmation(event.target.value)}
                autoComplete="off"
              />
            </div>
            <button
              type="submit"
              className="danger"
              disabled={pending || confirmation !== team.name}
            >
              Delete team
            </button>
          </form>
        )}
      </div>
    </section>
  );
}
