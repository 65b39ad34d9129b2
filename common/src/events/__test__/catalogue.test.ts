import { buildEvent } from '../envelope';
import { eventCatalogue } from '../catalogue';

const task = {
  id: 'task-1',
  version: 0,
  teamId: 'team-1',
  title: 'Plan',
  status: 'todo',
  priority: 'medium',
  assigneeId: null,
  creatorId: 'user-1',
} as const;

describe('the event catalogue', () => {
  it('carries a task’s position in task.created and task.updated, within schema version 1', () => {
    expect(buildEvent('task.created', { ...task, position: 2.5 }).data.position).toBe(2.5);
    const moved = buildEvent('task.updated', { ...task, version: 1, position: -1, changes: {} });
    expect(moved.data.position).toBe(-1);
    expect(moved.schemaVersion).toBe(1);
    expect(eventCatalogue['task.created'].schemaVersion).toBe(1);
  });

  it('still accepts task events published without a position', () => {
    expect(eventCatalogue['task.created'].schema.safeParse(task).success).toBe(true);
    expect(eventCatalogue['task.updated'].schema.safeParse({ ...task, changes: {} }).success).toBe(
      true,
    );
  });

  it('refuses a position that is not a finite number', () => {
    for (const position of ['3', null, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(eventCatalogue['task.created'].schema.safeParse({ ...task, position }).success).toBe(
        false,
      );
    }
  });
});
