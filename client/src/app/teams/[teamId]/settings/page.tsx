import type { Metadata } from 'next';
import { DangerZone } from '../../../../components/team/danger-zone';
import { MembersEditor } from '../../../../components/team/members-editor';
import { PermissionsEditor } from '../../../../components/team/permissions-editor';
import { TeamDetailsForm } from '../../../../components/team/team-details-form';
import { requireUser } from '../../../../lib/server-api';
import { can, loadTeam } from '../../../../lib/teams';

export const metadata: Metadata = { title: 'Team settings' };

export default async function TeamSettingsPage({ params }: PageProps<'/teams/[teamId]/settings'>) {
  const { teamId } = await params;
  const path = `/teams/${teamId}/settings`;
  const user = await requireUser(path);
  const { team, members } = await loadTeam(teamId, path);
  return (
    <div className="stack team-settings">
      <TeamDetailsForm team={team} canUpdate={can(team, 'team.update')} />
      <MembersEditor
        key={members.map((m) => `${m.userId}:${m.version}`).join(',')}
        teamId={team.id}
        members={members}
        currentUserId={user.id}
        canManage={can(team, 'member.manage')}
        isAdmin={team.role === 'admin'}
      />
      <PermissionsEditor key={team.version} team={team} />
      <DangerZone team={team} currentUserId={user.id} canDelete={can(team, 'team.delete')} />
    </div>
  );
}
