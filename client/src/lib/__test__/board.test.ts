import {
  applyMove,
  keyboardMove,
  locate,
  positionBetween,
  removeTask,
  taskAfterEvent,
  toColumns,
  upsertTask,
} from '../board';
import type { BoardTaskEvent } from '../types';
import { buildTask } from './factories';

describe('board ordering', () => {
  const a = buildTask({ title: 'a', status: 'todo', position: 0 });
  const b = buildTask({ title: 'b', status: 'todo', position: 1 });
  const c = buildTask({ title: 'c', status: 'todo', position: 2 });
  const d = buildTask({ title: 'd', status: 'done', position: 0 });

  const titles = (tasks: { title: string }[]) => tasks.map((t) => t.title);

  it('groups tasks per status in position order', () => {
    const columns = toColumns([c, d, a, b]);
    expect(titles(columns.todo)).toEqual(['a', 'b', 'c']);
    expect(titles(columns.done)).toEqual(['d']);
    expect(columns.backlog).toEqual([]);
  });

  it('puts a position between neighbours, before the first, after the last', () => {
    expect(positionBetween(undefined, undefined)).toBe(0);
    expect(positionBetween(undefined, 3)).toBe(2);
    expect(positionBetween(3, undefined)).toBe(4);
    expect(positionBetween(1, 2)).toBe(1.5);
  });

  it('moves a card within its column and computes its new position', () => {
    const result = applyMove(toColumns([a, b, c, d]), { taskId: 'x', status: 'todo', index: 0 });
    expect(result).toBeNull();
    const moved = applyMove(toColumns([a, b, c, d]), { taskId: c.id, status: 'todo', index: 0 });
    expect(titles(moved!.columns.todo)).toEqual(['c', 'a', 'b']);
    expect(moved!.position).toBe(-1);
    const middle = applyMove(toColumns([a, b, c, d]), { taskId: a.id, status: 'todo', index: 1 });
    expect(titles(middle!.columns.todo)).toEqual(['b', 'a', 'c']);
    expect(middle!.position).toBe(1.5);
  });

  it('moves a card to another column, clamping the index to its end', () => {
    const moved = applyMove(toColumns([a, b, c, d]), { taskId: b.id, status: 'done', index: 9 });
    expect(titles(moved!.columns.todo)).toEqual(['a', 'c']);
    expect(titles(moved!.columns.done)).toEqual(['d', 'b']);
    expect(moved!.columns.done[1]).toMatchObject({ status: 'done', position: 1 });
    expect(moved!.position).toBe(1);
  });

  it('moves a picked-up card with the arrow keys, stopping at the edges', () => {
    const columns = toColumns([a, b, c, d]);
    expect(keyboardMove(columns, a.id, 'up')).toBeNull();
    expect(keyboardMove(columns, a.id, 'down')).toEqual({ taskId: a.id, status: 'todo', index: 1 });
    expect(keyboardMove(columns, c.id, 'down')).toBeNull();
    expect(keyboardMove(columns, c.id, 'right')).toEqual({
      taskId: c.id,
      status: 'in_progress',
      index: 0,
    });
    expect(keyboardMove(columns, a.id, 'left')).toEqual({
      taskId: a.id,
      status: 'backlog',
      index: 0,
    });
    expect(keyboardMove(columns, d.id, 'right')).toBeNull();
    expect(locate(columns, b.id)).toEqual({ status: 'todo', index: 1 });
  });

  it('applies live changes only when they are newer', () => {
    const tasks = [a, b];
    const newer = { ...a, title: 'a2', version: 2 };
    expect(upsertTask(tasks, newer).find((t) => t.id === a.id)?.title).toBe('a2');
    const older = { ...newer, title: 'stale', version: 1 };
    expect(upsertTask(upsertTask(tasks, newer), older).find((t) => t.id === a.id)?.title).toBe(
      'a2',
    );
    expect(upsertTask(tasks, c)).toHaveLength(3);
    expect(removeTask(tasks, a.id)).toEqual([b]);
  });
});

describe('a task from a board message', () => {
  const shown = buildTask({ title: 'Plan', status: 'todo', position: 2, version: 3 });
  const message = (overrides: Partial<BoardTaskEvent> = {}): BoardTaskEvent => ({
    id: shown.id,
    teamId: shown.teamId,
    version: 4,
    title: shown.title,
    status: 'in_review',
    priority: shown.priority,
    assigneeId: 'user-2',
    dueDate: null,
    tags: ['launch'],
    ticketId: null,
    position: 0.5,
    changes: {
      status: { from: 'todo', to: 'in_review' },
      position: { from: 2, to: 0.5 },
      assigneeId: { from: null, to: 'user-2' },
      tags: { from: [], to: ['launch'] },
    },
    ...overrides,
  });

  it('places the next version where the message says, with what it changed', () => {
    const next = taskAfterEvent(shown, message());
    expect(next).toEqual({
      ...shown,
      status: 'in_review',
      position: 0.5,
      assigneeId: 'user-2',
      tags: ['launch'],
      version: 4,
    });
    const withText = taskAfterEvent(
      shown,
      message({
        changes: {
          description: { from: '', to: 'Steps' },
          customFields: { from: {}, to: { points: 3 } },
          completedAt: { from: null, to: '2026-11-02T10:00:00.000Z' },
        },
      }),
    );
    expect(withText).toMatchObject({
      description: 'Steps',
      customFields: { points: 3 },
      completedAt: '2026-11-02T10:00:00.000Z',
    });
  });

  it('leaves the task to be read when the message cannot tell everything', () => {
    // A version was missed in between.
    expect(taskAfterEvent(shown, message({ version: 5 }))).toBeUndefined();
    // Published before events carried the position.
    expect(taskAfterEvent(shown, message({ position: undefined }))).toBeUndefined();
    // Attachments are only counted in the changes.
    expect(
      taskAfterEvent(shown, message({ changes: { attachments: { from: 0, to: 1 } } })),
    ).toBeUndefined();
    expect(
      taskAfterEvent(shown, message({ changes: { someNewField: { from: 1, to: 2 } } })),
    ).toBeUndefined();
  });
});
