'use client';

import { useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { describeActivity } from '../../lib/activity';
import { api } from '../../lib/http';
import type { Activity, Member } from '../../lib/types';
import { useLiveEvent } from '../live';
import { LocalTime } from '../local-time';

/** The task's history, newest first; it follows the task's live changes. */
export function ActivityList({
  taskId,
  initialActivity,
  members,
}: {
  taskId: string;
  initialActivity: Activity[];
  members: Member[];
}) {
  const [activity, setActivity] = useState(initialActivity);
  const nameOf = (userId: string) => {
    const member = members.find((m) => m.userId === userId);
    return member ? displayName(member) : 'a former member';
  };

  const reload = async (data: unknown) => {
    const event = data as { id?: string; taskId?: string };
    if (event.id !== taskId && event.taskId !== taskId) return;
    setActivity(
      await api<Activity[]>(`/api/tasks/${encodeURIComponent(taskId)}/activity?limit=50`),
    );
  };
  useLiveEvent('task.updated', (data) => void reload(data).catch(() => undefined));
  useLiveEvent('comment.created', (data) => void reload(data).catch(() => undefined));

  return (
    <section className="card" aria-labelledby="activity-heading">
      <h2 id="activity-heading" className="card-title">
        History
      </h2>
      {activity.length === 0 ? (
        <p className="muted">Nothing has happened to this task yet.</p>
      ) : (
        <ol className="list small" data-testid="activity">
          {activity.map((entry) => (
            <li key={entry.id}>
              <strong>{entry.actorId ? nameOf(entry.actorId) : 'TaskForge'}</strong>{' '}
              {describeActivity(entry, nameOf).join('; ')}
              <div className="muted">
                <LocalTime iso={entry.at} relative />
              </div>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
