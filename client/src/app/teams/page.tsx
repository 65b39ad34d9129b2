import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateTeamForm } from '../../components/create-team-form';
import { loadAll, requireUser } from '../../lib/server-api';
import type { TeamListItem } from '../../lib/types';

export const metadata: Metadata = { title: 'My teams' };

export default async function TeamsPage() {
  const user = await requireUser('/teams');
  const teams = await loadAll<TeamListItem>('/api/teams?limit=100', '/teams');
  return (
    <main id="main">
      <h1>My teams</h1>
      {!user.emailVerified && (
        <p className="card" data-testid="verify-reminder">
          Verify your email address so that teammates can add you to their teams: open the link we
          mailed to {user.email}, or send it again from your <Link href="/profile">profile</Link>.
        </p>
      )}
      <div className="task-layout">
        <section aria-label="Teams">
          {teams.length === 0 ? (
            <p className="empty">
              You are not in a team yet. Create one, or ask a team admin to add you by email.
            </p>
          ) : (
            <ul className="list">
              {teams.map((team) => (
                <li key={team.id} className="card team-summary">
                  <div className="page-head">
                    <Link href={`/teams/${team.id}`} className="title">
                      <strong>{team.name}</strong>
                    </Link>
                    <span className="badge">{team.role}</span>
                  </div>
                  {team.description && <p className="muted small flush">{team.description}</p>}
                  <p className="small flush-bottom">
                    <Link href={`/teams/${team.id}`}>Board</Link> ·{' '}
                    <Link href={`/teams/${team.id}/dashboard`}>Dashboard</Link> ·{' '}
                    <Link href={`/teams/${team.id}/settings`}>Settings</Link>
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <CreateTeamForm />
      </div>
    </main>
  );
}
