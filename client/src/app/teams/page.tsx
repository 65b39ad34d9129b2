import type { Metadata } from 'next';
import Link from 'next/link';
import { CreateTeamForm } from '../../components/create-team-form';
import { loadAll, requireUser } from '../../lib/server-api';
import type { TeamListItem } from '../../lib/types';

export const metadata: Metadata = { title: 'My teams' };

export default async function TeamsPage() {
  await requireUser('/teams');
  const teams = await loadAll<TeamListItem>('/api/teams?limit=100', '/teams');
  return (
    <main id="main">
      <h1>My teams</h1>
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
