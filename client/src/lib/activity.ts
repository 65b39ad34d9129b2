import { formatPrice } from './format';
import {
  PRIORITY_LABELS,
  STATUS_LABELS,
  type Activity,
  type TaskPriority,
  type TaskStatus,
} from './types';

const FIELD_LABELS: Record<string, string> = {
  title: 'the title',
  description: 'the description',
  status: 'the status',
  priority: 'the priority',
  assigneeId: 'the assignee',
  dueDate: 'the due date',
  tags: 'the tags',
  ticketId: 'the ticket',
  position: 'the order',
  customFields: 'custom fields',
  attachments: 'attachments',
};

/** A changed value for people; user ids go through `nameOf`. */
function valueText(field: string, value: unknown, nameOf: (userId: string) => string): string {
  if (value === null || value === undefined || value === '') return 'nothing';
  if (field === 'status') return STATUS_LABELS[value as TaskStatus] ?? String(value);
  if (field === 'priority') return PRIORITY_LABELS[value as TaskPriority] ?? String(value);
  if (field === 'assigneeId') return nameOf(String(value));
  if (field === 'dueDate') return String(value).slice(0, 10);
  if (field === 'price' && typeof value === 'number') return formatPrice(value);
  if (Array.isArray(value)) return value.length ? value.join(', ') : 'none';
  if (field === 'customFields' && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length ? entries.map(([name, v]) => `${name}: ${String(v)}`).join(', ') : 'none';
  }
  if (typeof value === 'string')
    return value.length > 60 ? `“${value.slice(0, 59)}…”` : `“${value}”`;
  return JSON.stringify(value);
}

/** One history entry in words, without the actor: "changed the status from To do to Done". */
export function describeActivity(entry: Activity, nameOf: (userId: string) => string): string[] {
  switch (entry.type) {
    case 'task.created':
      return ['created the task'];
    case 'comment.created':
      return ['commented'];
    case 'attachment.added':
      return [`attached ${entry.attachment?.name ?? 'a file'}`];
    case 'attachment.removed':
      return [`removed the attachment ${entry.attachment?.name ?? ''}`.trim()];
    case 'task.updated': {
      const changes = entry.changes.filter((c) => c.field !== 'attachments');
      if (changes.length === 0) return ['updated the task'];
      return changes.map((change) =>
        change.field === 'description' || change.field === 'position'
          ? `changed ${FIELD_LABELS[change.field]}`
          : `changed ${FIELD_LABELS[change.field] ?? change.field} from ${valueText(change.field, change.from, nameOf)} to ${valueText(change.field, change.to, nameOf)}`,
      );
    }
  }
}
