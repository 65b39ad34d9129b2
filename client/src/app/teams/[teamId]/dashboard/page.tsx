import type { Metadata } from 'next';
import { displayName } from '@taskforge/common/display-name';
import { LiveRefresh } from '../../../../components/live-refresh';
import { WeeklyChart } from '../../../../components/weekly-chart';
import { formatDuration } from '../../../../lib/dates';
import { requireUser } from '../../../../lib/server-api';
import { loadWhenTasksKnowsTeam } from '../../../../lib/tasks-ready';
import { loadTeam } from '../../../../lib/teams';
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type Stats,
} from '../../../../lib/types';

export const metadata: Metadata = { title: 'Dashboard' };

function Bars({ rows, label }: { rows: Array<{ name: string; value: number }>; label: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="bars" role="list" aria-label={label}>
      {rows.map((row) => (
        <div key={row.name} className="bar-row" role="listitem" data-testid={`count-${row.name}`}>
          <span>{row.name}</span>
          <span aria-hidden="true">
            {/* The length is the svg's width attribute: the policy refuses style attributes. */}
            {row.value > 0 && <svg className="bar" width={`${(row.value / max) * 100}%`} />}
          </span>
          <strong>{row.value}</strong>
        </div>
      ))}
    </div>
  );
}

export default async function DashboardPage({ params }: PageProps<'/teams/[teamId]/dashboard'>) {
  const { teamId } = await params;
  const path = `/teams/${teamId}/dashboard`;
  await requireUser(path);
  const [{ members }, { body: stats }] = await Promise.all([
    loadTeam(teamId, path),
    loadWhenTasksKnowsTeam<Stats>(`/api/tasks/stats?teamId=${encodeURIComponent(teamId)}`, path),
  ]);
  const nameOf = (userId: string | null) =>
    userId ? displayName(members.find((m) => m.userId === userId)) : 'Unassigned';

  return (
    <div className="stack">
      <LiveRefresh teamId={teamId} />
      <div className="stat-grid">
        <div className="card">
          <div className="muted small">Tasks</div>
          <div className="stat" data-testid="stat-total">
            {stats.total}
          </div>
        </div>
        <div className="card">
          <div className="muted small">Overdue</div>
          <div className={stats.overdue ? 'stat overdue' : 'stat'} data-testid="stat-overdue">
            {stats.overdue}
          </div>
        </div>
        <div className="card">
          <div className="muted small">Done</div>
          <div className="stat" data-testid="stat-done">
            {stats.byStatus.done}
          </div>
        </div>
        <div className="card">
          <div className="muted small">Median cycle time</div>
          <div className="stat" data-testid="stat-cycle-time">
            {stats.medianCycleTimeMs === null ? '—' : formatDuration(stats.medianCycleTimeMs)}
          </div>
        </div>
      </div>
      {stats.total === 0 && (
        <p className="empty">No tasks yet: the numbers fill in as the team works.</p>
      )}
      <div className="breakdown">
        <section className="card">
          <h2 className="card-title">By status</h2>
          <Bars
            label="Tasks by status"
            rows={TASK_STATUSES.map((s) => ({ name: STATUS_LABELS[s], value: stats.byStatus[s] }))}
          />
        </section>
        <section className="card">
          <h2 className="card-title">By priority</h2>
          <Bars
            label="Tasks by priority"
            rows={TASK_PRIORITIES.map((p) => ({
              name: PRIORITY_LABELS[p],
              value: stats.byPriority[p],
            }))}
          />
        </section>
        <section className="card">
          <h2 className="card-title">By assignee</h2>
          {stats.byAssignee.length === 0 ? (
            <p className="muted">No tasks yet.</p>
          ) : (
            <Bars
              label="Tasks by assignee"
              rows={stats.byAssignee.map((a) => ({ name: nameOf(a.assigneeId), value: a.count }))}
            />
          )}
        </section>
      </div>
      <section className="card">
        <h2 className="card-title">Created and completed per week</h2>
        <WeeklyChart weekly={stats.weekly} />
      </section>
    </div>
  );
}
