import type { EventEnvelope, Logger } from '@taskforge/common';
import {
  Activity,
  ACTIVITY_TYPES,
  type ActivityAttrs,
  type ActivityType,
  type FieldChange,
} from '../models/activity';

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

export type ActivityEvent = EventEnvelope<ActivityType>;

const isActivityEvent = (event: EventEnvelope): event is ActivityEvent =>
  (ACTIVITY_TYPES as readonly string[]).includes(event.subject);

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

/**
 * Writes the history entries of those of the events the history shows; idempotent (keyed by
 * event id, so every writer of an entry writes the same one).
 */
export async function recordActivity(events: EventEnvelope[]): Promise<void> {
  const entries = events
    .filter(isActivityEvent)
    .map(activityFor)
    .filter((entry) => entry !== undefined);
  if (entries.length === 0) return;
  try {
    // Plain inserts keyed by event id: an entry written before meets its duplicate key.
    await Activity.insertMany(entries, { ordered: false });
  } catch (err) {
    if (!onlyDuplicates(err)) throw err;
  }
}

/**
 * After the task (or comment) and its events were saved, before the response: the writer reads
 * its history back at once. A failure here is logged, not answered, and a crash before it loses
 * nothing: the events are in the outbox, and this service's own listeners
 * (`events/listeners/activity-listener`) write the same entries when they arrive.
 */
export async function recordActivityAfterWrite(
  events: EventEnvelope[],
  logger: Logger,
): Promise<void> {
  try {
    await recordActivity(events);
  } catch (err) {
    logger.warn({ err }, 'activity not written now; the event listener will write it');
  }
}
