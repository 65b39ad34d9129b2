'use client';

import Link from 'next/link';
import type { DragEvent, KeyboardEvent } from 'react';
import type { Direction } from '../../lib/board';
import { dueLabel, isOverdue } from '../../lib/dates';
import { PRIORITY_LABELS, type Member, type Task } from '../../lib/types';
import { Avatar } from '../avatar';

/** One card: title, priority, assignee, due date (overdue stands out), tags, and its Move control. */
export function TaskCard({
  task,
  teamId,
  renderedAt,
  assignee,
  assigneeName,
  canMove,
  picked,
  dragging,
  onDragStart,
  onDragEnd,
  onMoveClick,
  onMoveKey,
  onMoveStep,
  onMoveCancel,
}: {
  task: Task;
  teamId: string;
  /** When the page was rendered: due labels say the same on the server and in the browser. */
  renderedAt: string;
  assignee: Member | undefined;
  assigneeName: string | undefined;
  canMove: boolean;
  picked: boolean;
  dragging: boolean;
  onDragStart: (event: DragEvent<HTMLElement>) => void;
  onDragEnd: () => void;
  onMoveClick: () => void;
  onMoveKey: (event: KeyboardEvent<HTMLButtonElement>) => void;
  onMoveStep: (direction: Direction) => void;
  onMoveCancel: () => void;
}) {
  const now = new Date(renderedAt);
  const overdue = isOverdue(task, now);
  const due = dueLabel(task, now);
  const classes = ['task-card', overdue && 'overdue', picked && 'picked', dragging && 'dragging']
    .filter(Boolean)
    .join(' ');
  return (
    <article
      className={classes}
      data-task-id={task.id}
      draggable={canMove}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      aria-label={task.title}
    >
      <Link href={`/teams/${teamId}/tasks/${task.id}`} className="title" draggable={false}>
        {task.title}
      </Link>
      <div className="card-meta">
        <span className={`badge priority-${task.priority}`}>{PRIORITY_LABELS[task.priority]}</span>
        {due && <span className={overdue ? 'due overdue' : 'due muted'}>{due}</span>}
        {task.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
      </div>
      <div className="card-meta spread">
        {assignee || assigneeName ? (
          <span className="card-meta">
            <Avatar person={assignee} label={assigneeName} />
            <span className="visually-hidden">Assigned to {assigneeName}</span>
          </span>
        ) : (
          <span className="muted small">Unassigned</span>
        )}
        {canMove && (
          <button
            type="button"
            id={`move-${task.id}`}
            className="move-button"
            aria-pressed={picked}
            aria-describedby="board-instructions"
            aria-label={picked ? `Drop ${task.title}` : `Move ${task.title}`}
            onClick={onMoveClick}
            onKeyDown={onMoveKey}
            onKeyUp={(event) => {
              if (event.key === ' ') event.preventDefault();
            }}
          >
            {picked ? 'Drop' : 'Move'}
          </button>
        )}
      </div>
      {picked && (
        <div className="move-controls" aria-label="Move controls">
          <button
            type="button"
            aria-label="Move to the previous column"
            onClick={() => onMoveStep('left')}
          >
            ←
          </button>
          <button type="button" aria-label="Move up" onClick={() => onMoveStep('up')}>
            ↑
          </button>
          <button type="button" aria-label="Move down" onClick={() => onMoveStep('down')}>
            ↓
          </button>
          <button
            type="button"
            aria-label="Move to the next column"
            onClick={() => onMoveStep('right')}
          >
            →
          </button>
          <button type="button" onClick={onMoveCancel}>
            Cancel
          </button>
        </div>
      )}
    </article>
  );
}
