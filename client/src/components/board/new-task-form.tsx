'use client';

import { useState } from 'react';
import { api } from '../../lib/http';
import { STATUS_LABELS, type Task, type TaskStatus } from '../../lib/types';
import { FormErrorSummary, useApiForm } from '../form';

/** "Add a task" at the foot of a column: a title is enough, the rest is edited on the task. */
export function NewTaskForm({
  teamId,
  status,
  onCreated,
}: {
  teamId: string;
  status: TaskStatus;
  onCreated: (task: Task) => void;
}) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState('');
  const { errors, pending, run } = useApiForm(['title']);
  const inputId = `new-task-${status}`;

  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-label={`Add a task to ${STATUS_LABELS[status]}`}
      >
        + Add task
      </button>
    );
  }
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void run(async () => {
          const task = await api<Task>('/api/tasks', {
            method: 'POST',
            body: { teamId, title, status },
          });
          onCreated(task);
          setTitle('');
        });
      }}
    >
      <FormErrorSummary errors={errors} />
      <label htmlFor={inputId} className="visually-hidden">
        New task in {STATUS_LABELS[status]}
      </label>
      <input
        id={inputId}
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        placeholder="Task title"
        maxLength={200}
        autoFocus
        aria-invalid={Boolean(errors.fields.title)}
        aria-describedby={errors.fields.title ? `${inputId}-error` : undefined}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setOpen(false);
        }}
      />
      {errors.fields.title && (
        <span className="field-error" id={`${inputId}-error`}>
          {errors.fields.title}
        </span>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={pending}>
          Add
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
