import type { Metadata } from 'next';
import { Board } from '../../../components/board/board';
import { BoardFiltersBar } from '../../../components/board/board-filters-bar';
import { boardFiltersToQuery, parseBoardFilters, taskListQuery } from '../../../lib/board-filters';
import { nextCursor, requireUser } from '../../../lib/server-api';
import { loadWhenTasksKnowsTeam } from '../../../lib/tasks-ready';
import { can, loadTeam } from '../../../lib/teams';
import type { Task } from '../../../lib/types';

export const metadata: Metadata = { title: 'Board' };

export default async function BoardPage({ params, searchParams }: PageProps<'/teams/[teamId]'>) {
  const { teamId } = await params;
  const filters = parseBoardFilters(await searchParams);
  const view = boardFiltersToQuery(filters);
  const path = `/teams/${teamId}${view ? `?${view}` : ''}`;
  const user = await requireUser(path);
  const { team, members } = await loadTeam(teamId, path);

  const tasks: Task[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page += 1) {
    const res = await loadWhenTasksKnowsTeam<Task[]>(
      `/api/tasks?${taskListQuery(teamId, filters, cursor)}`,
      path,
    );
    tasks.push(...res.body);
    cursor = nextCursor(res);
    if (!cursor) break;
  }

  return (
    <>
      <BoardFiltersBar key={`filters?${view}`} filters={filters} members={members} />
      <Board
        key={`board?${view}`}
        teamId={teamId}
        renderedAt={new Date().toISOString()}
        initialTasks={tasks}
        members={members}
        filters={filters}
        currentUserId={user.id}
        canCreate={can(team, 'task.create')}
        canMove={can(team, 'task.update')}
      />
    </>
  );
}
