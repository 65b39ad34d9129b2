'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { displayName } from '@taskforge/common/display-name';
import { customFieldsPatch, toRows, type CustomFieldRow } from '../../lib/custom-fields';
import { dueDateFromInput, dueDateToInput } from '../../lib/dates';
import { api } from '../../lib/http';
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  TASK_PRIORITIES,
  TASK_STATUSES,
  type Member,
  type Task,
  type Ticket,
} from '../../lib/types';
import { Field, FormErrorSummary, useApiForm } from '../form';
import { useLiveEvent } from '../live';
import { MarkdownView } from '../markdown-view';
import { TicketPicker } from './ticket-picker';

const FIELDS = [
  'title',
  'description',
  'status',
  'priority',
  'assigneeId',
  'dueDate',
  'tags',
  'ticketId',
];

function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Every field of a task in one form. Only what changed is sent, with the version it was read
 * at: if someone changed the task meanwhile, tasks answers 409 rather than overwrite them.
 */
export function TaskEditor({
  task,
  members,
  ticket,
  canUpdate,
  canAssign,
  canDelete,
}: {
  task: Task;
  members: Member[];
  ticket: Ticket | null;
  canUpdate: boolean;
  canAssign: boolean;
  canDelete: boolean;
}) {
  const router = useRouter();
  const { errors, pending, run, onSubmit } = useApiForm(FIELDS);
  const [saved, setSaved] = useState(false);
  const [changedElsewhere, setChangedElsewhere] = useState(false);
  // The version this page last wrote: its own change coming back over the stream is not news.
  const [savedVersion, setSavedVersion] = useState(task.version);
  const [linked, setLinked] = useState<Pick<Ticket, 'id' | 'title'> | null>(ticket);
  const [previewing, setPreviewing] = useState(false);
  const [description, setDescription] = useState(task.description);
  const [customFields, setCustomFields] = useState<CustomFieldRow[]>(toRows(task.customFields));

  useLiveEvent('task.updated', (data) => {
    const event = data as { id?: string; version?: number; changes?: Record<string, unknown> };
    if (event.id !== task.id || (event.version ?? 0) <= Math.max(task.version, savedVersion))
      return;
    // Attachments and board order have their own places; only edits to this form's fields count.
    if (Object.keys(event.changes ?? {}).some((field) => FIELDS.includes(field)))
      setChangedElsewhere(true);
  });

  const disabled = !canUpdate || pending;
  return (
    <section className="card" aria-labelledby="task-heading">
      <h2 id="task-heading" className="card-title">
        {task.title}
      </h2>
      {changedElsewhere && (
        <p className="notice" role="status">
          Someone changed this task.{' '}
          <button type="button" className="link" onClick={() => window.location.reload()}>
            Show the latest version
          </button>
        </p>
      )}
      <form
        className="form wide"
        noValidate
        aria-label="Edit task"
        onSubmit={onSubmit(async (data) => {
          setSaved(false);
          const next = {
            title: String(data.get('title') ?? ''),
            description,
            status: String(data.get('status') ?? task.status),
            priority: String(data.get('priority') ?? task.priority),
            assigneeId: canAssign ? String(data.get('assigneeId') ?? '') || null : task.assigneeId,
            dueDate: dueDateFromInput(String(data.get('dueDate') ?? '')),
            tags: parseTags(String(data.get('tags') ?? '')),
            ticketId: linked?.id ?? null,
          };
          const changes: Record<string, unknown> = Object.fromEntries(
            Object.entries(next).filter(
              ([field, value]) =>
                JSON.stringify(value) !== JSON.stringify(task[field as keyof Task]),
            ),
          );
          const fieldsPatch = customFieldsPatch(task.customFields, customFields);
          if (Object.keys(fieldsPatch).length > 0) changes.customFields = fieldsPatch;
          if (Object.keys(changes).length === 0) return;
          const updated = await api<Task>(`/api/tasks/${task.id}`, {
            method: 'PATCH',
            body: { ...changes, version: task.version },
          });
          setSavedVersion(updated.version);
          setSaved(true);
          router.refresh();
        })}
      >
        <FormErrorSummary errors={errors} />
        {!canUpdate && <p className="notice">Your role can read this task but not change it.</p>}
        <Field name="title" label="Title" error={errors.fields.title}>
          {(props) => (
            <input {...props} defaultValue={task.title} maxLength={200} disabled={disabled} />
          )}
        </Field>
        <div className="field">
          <div className="button-row spread">
            <label htmlFor="field-description">Description</label>
            <button
              type="button"
              className="link"
              onClick={() => setPreviewing((p) => !p)}
              aria-pressed={previewing}
            >
              {previewing ? 'Edit' : 'Preview'}
            </button>
          </div>
          {previewing ? (
            <div className="card">
              {description ? (
                <MarkdownView source={description} />
              ) : (
                <p className="muted">Nothing to preview.</p>
              )}
            </div>
          ) : (
            <textarea
              id="field-description"
              name="description"
              value={description}
              onChange={(event) => setDescription(event.target.value)}
              rows={6}
              disabled={disabled}
              aria-invalid={Boolean(errors.fields.description)}
              aria-describedby="field-description-hint"
            />
          )}
          <span className="field-hint" id="field-description-hint">
            Markdown: **bold**, *italic*, `code`, lists, [links](https://example.com).
          </span>
          {errors.fields.description && (
            <span className="field-error">{errors.fields.description}</span>
          )}
        </div>
        <div className="inline-form">
          <Field name="status" label="Status" error={errors.fields.status}>
            {(props) => (
              <select {...props} defaultValue={task.status} disabled={disabled}>
                {TASK_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {STATUS_LABELS[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="priority" label="Priority" error={errors.fields.priority}>
            {(props) => (
              <select {...props} defaultValue={task.priority} disabled={disabled}>
                {TASK_PRIORITIES.map((priority) => (
                  <option key={priority} value={priority}>
                    {PRIORITY_LABELS[priority]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="inline-form">
          <Field
            name="assigneeId"
            label="Assignee"
            error={errors.fields.assigneeId}
            hint={
              canAssign
                ? 'Only members of the team can be assigned.'
                : 'Your role cannot assign tasks.'
            }
          >
            {(props) => (
              <select
                {...props}
                defaultValue={task.assigneeId ?? ''}
                disabled={disabled || !canAssign}
              >
                <option value="">Unassigned</option>
                {members.map((member) => (
                  <option key={member.userId} value={member.userId}>
                    {displayName(member)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field name="dueDate" label="Due date" error={errors.fields.dueDate}>
            {(props) => (
              <input
                {...props}
                type="date"
                defaultValue={dueDateToInput(task.dueDate)}
                disabled={disabled}
              />
            )}
          </Field>
        </div>
        <Field name="tags" label="Tags" error={errors.fields.tags} hint="Separated by commas.">
          {(props) => <input {...props} defaultValue={task.tags.join(', ')} disabled={disabled} />}
        </Field>
        <fieldset className="field plain-fieldset flush">
          <legend className="label">Custom fields</legend>
          {customFields.length === 0 && <span className="muted small">None yet.</span>}
          {customFields.map((row, index) => (
            <div key={index} className="inline-form">
              <input
                aria-label={`Custom field ${index + 1} name`}
                placeholder="Name (letters, digits, - and _)"
                value={row.name}
                maxLength={40}
                disabled={disabled}
                onChange={(event) =>
                  setCustomFields(
                    customFields.map((r, i) =>
                      i === index ? { ...r, name: event.target.value } : r,
                    ),
                  )
                }
              />
              <input
                aria-label={`Custom field ${index + 1} value`}
                placeholder="Value"
                value={row.value}
                maxLength={500}
                disabled={disabled}
                onChange={(event) =>
                  setCustomFields(
                    customFields.map((r, i) =>
                      i === index ? { ...r, value: event.target.value } : r,
                    ),
                  )
                }
              />
              {canUpdate && (
                <button
                  type="button"
                  aria-label={`Remove custom field ${row.name || index + 1}`}
                  onClick={() => setCustomFields(customFields.filter((_, i) => i !== index))}
                >
                  Remove
                </button>
              )}
            </div>
          ))}
          {canUpdate && (
            <div>
              <button
                type="button"
                onClick={() => setCustomFields([...customFields, { name: '', value: '' }])}
              >
                + Add a field
              </button>
            </div>
          )}
          <span className="field-hint">
            Numbers and true/false keep their type; anything else is text.
          </span>
          {errors.fields.customFields && (
            <span className="field-error">{errors.fields.customFields}</span>
          )}
        </fieldset>
        <div className="field">
          <span className="label" id="ticket-label">
            Linked ticket
          </span>
          {linked ? (
            <div className="button-row">
              <Link href={`/tickets/${linked.id}`}>{linked.title}</Link>
              {canUpdate && (
                <button type="button" className="link" onClick={() => setLinked(null)}>
                  Unlink
                </button>
              )}
            </div>
          ) : canUpdate ? (
            <TicketPicker onPick={setLinked} />
          ) : (
            <span className="muted">None</span>
          )}
          {errors.fields.ticketId && <span className="field-error">{errors.fields.ticketId}</span>}
        </div>
        {canUpdate && (
          <div className="button-row">
            <button type="submit" className="primary" disabled={pending}>
              Save task
            </button>
            {saved && (
              <span role="status" className="muted">
                Saved.
              </span>
            )}
            {canDelete && (
              <button
                type="button"
                className="danger push-end"
                disabled={pending}
                onClick={() => {
                  if (!window.confirm(`Delete “${task.title}”? This cannot be undone.`)) return;
                  void run(async () => {
                    await api(`/api/tasks/${task.id}`, { method: 'DELETE' });
                    router.push(`/teams/${task.teamId}`);
                  });
                }}
              >
                Delete task
              </button>
            )}
          </div>
        )}
      </form>
    </section>
  );
}
