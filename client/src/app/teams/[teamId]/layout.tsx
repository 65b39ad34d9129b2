import type { ReactNode } from 'react';
import { NavLink } from '../../../components/nav-link';
import { can, loadTeam } from '../../../lib/teams';

/** Every team page: its name and the team's sections. */
export default async function TeamLayout({ children, params }: LayoutProps<'/teams/[teamId]'>) {
  const { teamId } = await params;
  const base = `/teams/${teamId}`;
  const { team } = await loadTeam(teamId, base);
  return (
    <main id="main" className="wide">
      <div className="page-head team-head">
        <h1>{team.name}</h1>
        <span className="badge">Your role: {team.role}</span>
      </div>
      <nav className="team-nav" aria-label="Team">
        <NavLink href={base} exact>
          Board
        </NavLink>
        <NavLink href={`${base}/dashboard`}>Dashboard</NavLink>
        {can(team, 'audit.read') && <NavLink href={`${base}/audit`}>Audit log</NavLink>}
        <NavLink href={`${base}/settings`}>Settings</NavLink>
      </nav>
      {children as ReactNode}
    </main>
  );
}
