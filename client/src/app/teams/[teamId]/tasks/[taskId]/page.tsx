import type { Metadata } from 'next';
import Link from 'next/link';
import { ActivityList } from '../../../../../components/task/activity-list';
import { Attachments } from '../../../../../components/task/attachments';
import { Comments } from '../../../../../components/task/comments';
import { TaskEditor } from '../../../../../components/task/task-editor';
import { apiGet, requireUser } from '../../../../../lib/server-api';
import { loadWhenTasksKnowsTeam } from '../../../../../lib/tasks-ready';
import { can, loadTeam } from '../../../../../lib/teams';
import type { Activity, Comment, Task, Ticket } from '../../../../../lib/types';

export const metadata: Metadata = { title: 'Task' };

export default async function TaskPage({ params }: PageProps<'/teams/[teamId]/tasks/[taskId]'>) {
  const { teamId, taskId } = await params;
  const path = `/teams/${teamId}/tasks/${taskId}`;
  const user = await requireUser(path);
  const id = encodeURIComponent(taskId);
  const [{ team, members }, { body: task }] = await Promise.all([
    loadTeam(teamId, path),
    loadWhenTasksKnowsTeam<Task>(`/api/tasks/${id}`, path),
  ]);
  const [comments, activity, ticket] = await Promise.all([
    loadWhenTasksKnowsTeam<Comment[]>(`/api/tasks/${id}/comments?limit=100`, path).then(
      (r) => r.body,
    ),
    loadWhenTasksKnowsTeam<Activity[]>(`/api/tasks/${id}/activity?limit=50`, path).then(
      (r) => r.body,
    ),
    task.ticketId
      ? apiGet<Ticket>(`/api/tickets/${encodeURIComponent(task.ticketId)}`).then((r) =>
          r.status === 200 ? r.body : null,
        )
      : Promise.resolve(null),
  ]);
  const isAdmin = team.role === 'admin';

  return (
    <>
      <p>
        <Link href={`/teams/${teamId}`}>← Back to the board</Link>
      </p>
      <div className="task-layout">
        <div className="stack">
          <TaskEditor
            task={task}
            members={members}
            ticket={ticket}
            canUpdate={can(team, 'task.update')}
            canAssign={can(team, 'task.assign')}
            canDelete={isAdmin || task.creatorId === user.id}
          />
          <Comments
            taskId={task.id}
            initialComments={comments}
            members={members}
            currentUserId={user.id}
            isAdmin={isAdmin}
            canComment={can(team, 'comment.create')}
          />
        </div>
        <div className="stack">
          <Attachments
            taskId={task.id}
            initialAttachments={task.attachments}
            members={members}
            canUpdate={can(team, 'task.update')}
          />
          <ActivityList taskId={task.id} initialActivity={activity} members={members} />
        </div>
      </div>
    </>
  );
}
