import type { EventEnvelope, Logger } from '@taskforge/common';
import { Activity, type ActivityAttrs, type FieldChange } from '../models/activity';

/** The task fields whose changes the history shows (position and long texts are left out). */
export const TRACKED_FIELDS = [
  'title',
  'status',
  'priority',
  'assigneeId',
  'dueDate',
  'tags',
  'customFields',
  'ticketId',
] as const;

export type ActivityEvent = EventEnvelope<
  'task.created' | 'task.updated' | 'comment.created' | 'attachment.added' | 'attachment.removed'
>;

/** The history entry an event stands for, or undefined when it changes nothing the history shows. */
export function activityFor(event: ActivityEvent): ActivityAttrs | undefined {
  const base = {
    _id: event.id,
    actorId: event.metadata.actorId ?? null,
    at: new Date(event.occurredAt),
    changes: [] as FieldChange[],
    commentId: null,
    attachment: null,
    taskVersion: null,
  };
  switch (event.subject) {
    case 'task.created': {
      const data = (event as EventEnvelope<'task.created'>).data;
      return {
        ...base,
        type: 'task.created',
        taskId: data.id,
        teamId: data.teamId,
        taskVersion: data.version,
      };
    }
    case 'task.updated': {
      const data = (event as EventEnvelope<'task.updated'>).data;
      const changes = TRACKED_FIELDS.filter((field) => field in data.changes).map((field) => ({
        field,
        from: data.changes[field]?.from ?? null,
        to: data.changes[field]?.to ?? null,
      }));
      if (changes.length === 0) return undefined;
      return {
        ...base,
        type: 'task.updated',
        taskId: data.id,
        teamId: data.teamId,
        changes,
        taskVersion: data.version,
      };
    }
    case 'comment.created': {
      const data = (event as EventEnvelope<'comment.created'>).data;
      return {
        ...base,
        type: 'comment.created',
        taskId: data.taskId,
        teamId: data.teamId,
        actorId: data.authorId,
        commentId: data.id,
      };
    }
    case 'attachment.added':
    case 'attachment.removed': {
      const data = (event as EventEnvelope<'attachment.added'>).data;
      return {
        ...base,
        type: event.subject,
        taskId: data.taskId,
        teamId: data.teamId,
        attachment: { id: data.id, name: data.name },
        taskVersion: data.version,
      };
    }
  }
}

function onlyDuplicates(err: unknown): boolean {
  const { code, writeErrors } = err as { code?: number; writeErrors?: { code?: number }[] };
  if (writeErrors && writeErrors.length > 0) return writeErrors.every((e) => e.code === 11000);
  return code === 11000;
}

/** Writes the history entries of the given events; idempotent (keyed by event id). */
export async function recordActivity(events: ActivityEvent[]): Promise<void> {
  const entries = events.map(activityFor).filter((entry) => entry !== undefined);
  if (entries.length === 0) return;
  try {
    // Plain inserts keyed by event id: an entry written before meets its duplicate key.
    await Activity.insertMany(entries, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}

/**
 * After the task (or comment) and its events were saved. A failure here is logged, not answered:
 * the events are in the outbox, and this service's own listeners write the same entries when
 * they arrive, so the history is repaired without a second code path.
 */
export async function recordActivityAfterWrite(
  events: ActivityEvent[],
  logger: Logger,
): Promise<void> {
  try {
    await recordActivity(events);
  } catch (err) {
    logger.warn({ err }, 'activity not written now; the event listener will write it');
  }
}
