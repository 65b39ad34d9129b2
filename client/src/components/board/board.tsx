'use client';

import { useEffect, useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { ApiError, formErrorsOf } from '../../lib/api-errors';
import {
  applyMove,
  keyboardMove,
  locate,
  removeTask,
  taskAfterEvent,
  toColumns,
  upsertTask,
  type Direction,
  type Move,
} from '../../lib/board';
import { hasFilters, matchesFilters, type BoardFilters } from '../../lib/board-filters';
import { api } from '../../lib/http';
import {
  STATUS_LABELS,
  TASK_STATUSES,
  type BoardTaskEvent,
  type Member,
  type Task,
  type TaskStatus,
} from '../../lib/types';
import { useLiveEvent } from '../live';
import { NewTaskForm } from './new-task-form';
import { TaskCard } from './task-card';

const KEY_DIRECTIONS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

interface Picked {
  taskId: string;
  /** The board before the pick-up, restored by Escape. */
  before: Task[];
}

/**
 * The team's board. Cards move with the mouse (drag and drop) or the keyboard (pick up with the
 * card's Move button, arrows, Space to drop, Escape to cancel); either way only the moved task
 * is written, with a position between its new neighbours. Changes others make arrive over the
 * live stream and are applied when newer than what is shown.
 */
export function Board({
  teamId,
  renderedAt,
  initialTasks,
  members,
  filters,
  currentUserId,
  canCreate,
  canMove,
}: {
  teamId: string;
  renderedAt: string;
  initialTasks: Task[];
  members: Member[];
  filters: BoardFilters;
  currentUserId: string;
  canCreate: boolean;
  canMove: boolean;
}) {
  const [tasks, setTasks] = useState(initialTasks);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropTarget, setDropTarget] = useState<{ status: TaskStatus; index: number } | null>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [error, setError] = useState<string | null>(null);
  const columns = useMemo(() => toColumns(tasks), [tasks]);
  const lists = useRef(new Map<TaskStatus, HTMLOListElement>());
  const writes = useRef(new Map<string, Promise<void>>());
  const writtenVersions = useRef(new Map<string, number>());
  const pendingWrites = useRef(new Map<string, number>());
  const heldTaskId = useRef<string | null>(null);
  // The tasks as last rendered, for writes that start after a re-render they did not see.
  const shown = useRef(initialTasks);
  useEffect(() => {
    shown.current = tasks;
  }, [tasks]);
  const membersById = useMemo(() => new Map(members.map((m) => [m.userId, m])), [members]);

  // A picked-up card re-renders in another column as it moves: keep the focus on it.
  useEffect(() => {
    if (picked) document.getElementById(`move-${picked.taskId}`)?.focus();
  }, [picked, tasks]);

  /** A card held with the keyboard, or a move still being written. */
  const isMoving = (taskId: string) =>
    heldTaskId.current === taskId || (pendingWrites.current.get(taskId) ?? 0) > 0;

  /**
   * Shows a task as the server has it now, unless this page is moving it: the card would jump
   * back to where it was.
   */
  function showTask(task: Task) {
    if (isMoving(task.id)) return;
    setTasks((current) =>
      matchesFilters(task, filters, currentUserId)
        ? upsertTask(current, task)
        : removeTask(current, task.id),
    );
  }

  async function refreshTask(taskId: string) {
    try {
      showTask(await api<Task>(`/api/tasks/${encodeURIComponent(taskId)}`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404 && !isMoving(taskId))
        setTasks((current) => removeTask(current, taskId));
    }
  }

  /** A shown task's next version is placed from the message itself; anything else is read. */
  function onTaskEvent(data: unknown) {
    const event = data as BoardTaskEvent;
    if (event.teamId !== teamId) return;
    const shown = tasks.find((t) => t.id === event.id);
    if (shown && shown.version >= event.version) return;
    const next = shown && taskAfterEvent(shown, event);
    if (next) showTask(next);
    else void refreshTask(event.id);
  }
  useLiveEvent('task.created', onTaskEvent);
  useLiveEvent('task.updated', onTaskEvent);
  useLiveEvent('task.deleted', (data) => {
    const event = data as BoardTaskEvent;
    if (event.teamId === teamId) setTasks((current) => removeTask(current, event.id));
  });

  function titleOf(taskId: string): string {
    return tasks.find((t) => t.id === taskId)?.title ?? 'Task';
  }

  function where(move: Move, count: number): string {
    return `${STATUS_LABELS[move.status]}, position ${move.index + 1} of ${count}`;
  }

  /**
   * Writes a move; the board shows it at once and goes back if the write fails. Moves of one
   * task are written one after the other, each with the version the previous one returned, so a
   * quick second move is not refused as a conflict with the first.
   */
  function save(taskId: string, before: Task[], after: Task[]): Promise<void> {
    const moved = after.find((t) => t.id === taskId);
    const original = before.find((t) => t.id === taskId);
    if (!moved || !original) return Promise.resolve();
    if (moved.status === original.status && moved.position === original.position)
      return Promise.resolve();
    const write = async () => {
      setError(null);
      try {
        const saved = await api<Task>(`/api/tasks/${encodeURIComponent(taskId)}`, {
          method: 'PATCH',
          body: {
            status: moved.status,
            position: moved.position,
            version: Math.max(
              writtenVersions.current.get(taskId) ?? original.version,
              shown.current.find((t) => t.id === taskId)?.version ?? original.version,
            ),
          },
        });
        writtenVersions.current.set(taskId, saved.version);
        // Held with the keyboard meanwhile: keep the card where it is now shown.
        setTasks((current) =>
          heldTaskId.current === taskId
            ? current.map((t) => (t.id === taskId ? { ...t, version: saved.version } : t))
            : upsertTask(current, saved),
        );
      } catch (err) {
        setTasks(before);
        setError(`“${moved.title}” was not moved: ${formErrorsOf(err, []).general.join(' ')}`);
        writtenVersions.current.delete(taskId);
        void refreshTask(taskId);
      }
    };
    const count = (delta: number) =>
      pendingWrites.current.set(taskId, (pendingWrites.current.get(taskId) ?? 0) + delta);
    count(1);
    const queued = (writes.current.get(taskId) ?? Promise.resolve())
      .then(write)
      .finally(() => count(-1));
    writes.current.set(taskId, queued);
    return queued;
  }

  function moveNow(move: Move) {
    const result = applyMove(columns, move);
    if (!result) return;
    const after = TASK_STATUSES.flatMap((s) => result.columns[s]);
    setTasks(after);
    setAnnouncement(
      `${titleOf(move.taskId)} moved to ${where(move, result.columns[move.status].length)}.`,
    );
    void save(move.taskId, tasks, after);
  }

  // Keyboard moves
  function pickUp(taskId: string) {
    const at = locate(columns, taskId);
    if (!at) return;
    heldTaskId.current = taskId;
    setPicked({ taskId, before: tasks });
    setAnnouncement(
      `Picked up ${titleOf(taskId)} in ${STATUS_LABELS[at.status]}. Arrow keys move it, Space or Enter drops it, Escape cancels.`,
    );
  }

  function movePicked(direction: Direction) {
    if (!picked) return;
    const move = keyboardMove(columns, picked.taskId, direction);
    if (!move) {
      setAnnouncement('It cannot go further that way.');
      return;
    }
    const result = applyMove(columns, move);
    if (!result) return;
    setTasks(TASK_STATUSES.flatMap((s) => result.columns[s]));
    setAnnouncement(`${where(move, result.columns[move.status].length)}.`);
  }

  function drop() {
    if (!picked) return;
    const at = locate(columns, picked.taskId);
    heldTaskId.current = null;
    setPicked(null);
    setAnnouncement(
      at
        ? `Dropped ${titleOf(picked.taskId)} in ${STATUS_LABELS[at.status]}, position ${at.index + 1}.`
        : '',
    );
    void save(picked.taskId, picked.before, tasks);
  }

  function cancel() {
    if (!picked) return;
    setTasks(picked.before);
    heldTaskId.current = null;
    setPicked(null);
    setAnnouncement('Move cancelled.');
  }

  /**
   * Enter and Space pick up and drop here rather than through the button's click, which Space
   * would fire again on key-up; a click (mouse, touch, a screen reader's activation) does both too.
   */
  function onMoveKey(event: KeyboardEvent<HTMLButtonElement>, taskId: string) {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (picked?.taskId === taskId) drop();
      else pickUp(taskId);
      return;
    }
    if (picked?.taskId !== taskId) return;
    const direction = KEY_DIRECTIONS[event.key];
    if (direction) {
      event.preventDefault();
      movePicked(direction);
    } else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      cancel();
    }
  }

  // Mouse moves (HTML drag and drop)
  function dropIndex(status: TaskStatus, clientY: number): number {
    const list = lists.current.get(status);
    const cards = [...(list?.querySelectorAll<HTMLElement>('[data-task-id]') ?? [])].filter(
      (card) => card.dataset.taskId !== dragging,
    );
    const index = cards.findIndex((card) => {
      const rect = card.getBoundingClientRect();
      return clientY < rect.top + rect.height / 2;
    });
    return index === -1 ? cards.length : index;
  }

  function onDragOver(event: DragEvent<HTMLElement>, status: TaskStatus) {
    if (!dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const index = dropIndex(status, event.clientY);
    if (dropTarget?.status !== status || dropTarget.index !== index)
      setDropTarget({ status, index });
  }

  function onDrop(event: DragEvent<HTMLElement>, status: TaskStatus) {
    event.preventDefault();
    const taskId = dragging ?? event.dataTransfer.getData('text/plain');
    const index = dropIndex(status, event.clientY);
    setDragging(null);
    setDropTarget(null);
    if (taskId) moveNow({ taskId, status, index });
  }

  return (
    <>
      <p id="board-instructions" className="visually-hidden">
        To move a card with the keyboard, press its Move button, use the arrow keys, then Space or
        Enter to drop it, or Escape to cancel.
      </p>
      <div className="visually-hidden" aria-live="assertive" data-testid="board-announcement">
        {announcement}
      </div>
      {error && (
        <p className="form-errors" role="alert">
          {error}
        </p>
      )}
      {tasks.length === 0 && (
        <p className="notice">
          {hasFilters(filters)
            ? 'No tasks match these filters.'
            : canCreate
              ? 'No tasks yet: add the first one to a column below.'
              : 'No tasks yet.'}
        </p>
      )}
      <div className="board" data-testid="board">
        {TASK_STATUSES.map((status) => {
          const cards = columns[status];
          const target = dropTarget?.status === status ? dropTarget.index : null;
          return (
            <section
              key={status}
              className={target !== null ? 'column drop-target' : 'column'}
              aria-labelledby={`column-${status}`}
              data-status={status}
              onDragOver={(event) => onDragOver(event, status)}
              onDragLeave={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null))
                  setDropTarget(null);
              }}
              onDrop={(event) => onDrop(event, status)}
            >
              <h2 id={`column-${status}`}>
                <span>{STATUS_LABELS[status]}</span>
                <span className="badge" aria-label={`${cards.length} tasks`}>
                  {cards.length}
                </span>
              </h2>
              <ol
                ref={(element) => {
                  if (element) lists.current.set(status, element);
                  else lists.current.delete(status);
                }}
              >
                {cards.map((task, index) => (
                  <li key={task.id}>
                    {target === index && dragging !== task.id && (
                      <div className="drop-indicator" aria-hidden="true" />
                    )}
                    <TaskCard
                      task={task}
                      teamId={teamId}
                      renderedAt={renderedAt}
                      assignee={task.assigneeId ? membersById.get(task.assigneeId) : undefined}
                      assigneeName={
                        task.assigneeId ? displayName(membersById.get(task.assigneeId)) : undefined
                      }
                      canMove={canMove}
                      picked={picked?.taskId === task.id}
                      dragging={dragging === task.id}
                      onDragStart={(event) => {
                        event.dataTransfer.setData('text/plain', task.id);
                        event.dataTransfer.effectAllowed = 'move';
                        setDragging(task.id);
                      }}
                      onDragEnd={() => {
                        setDragging(null);
                        setDropTarget(null);
                      }}
                      onMoveClick={() => (picked?.taskId === task.id ? drop() : pickUp(task.id))}
                      onMoveKey={(event) => onMoveKey(event, task.id)}
                      onMoveStep={movePicked}
                      onMoveCancel={cancel}
                    />
                  </li>
                ))}
                {target !== null && target >= cards.filter((t) => t.id !== dragging).length && (
                  <li aria-hidden="true">
                    <div className="drop-indicator" />
                  </li>
                )}
              </ol>
              {canCreate && (
                <NewTaskForm
                  teamId={teamId}
                  status={status}
                  onCreated={(task) => {
                    if (matchesFilters(task, filters, currentUserId))
                      setTasks((current) => upsertTask(current, task));
                    setAnnouncement(`Added ${task.title} to ${STATUS_LABELS[status]}.`);
                  }}
                />
              )}
            </section>
          );
        })}
      </div>
    </>
  );
}
