import { withoutSecrets, type EventEnvelope } from '@taskforge/common';
import type { NewAuditEntry } from '../models/audit-logs';

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * The before and after an event carries. Creations have no before and deletions no after.
 * An update says what changed in one of three ways, tried in order: `changes` of
 * `{ from, to }` (tasks), a `previous` object of the old values (this service's events), or
 * `previousRole` (member.updated); otherwise only the new state is known.
 */
function statesOf(action: string, data: Fields): { previous: unknown; next: unknown } {
  const { previous, ...current } = data;
  if (action === 'created' || action === 'added') return { previous: null, next: current };
  if (action === 'deleted' || action === 'removed') return { previous: current, next: null };
  if (isObject(data.changes)) {
    const changes = Object.entries(data.changes).filter(([, change]) => isObject(change));
    return {
      previous: Object.fromEntries(
        changes.map(([field, change]) => [field, (change as Fields).from]),
      ),
      next: Object.fromEntries(changes.map(([field, change]) => [field, (change as Fields).to])),
    };
  }
  if (isObject(previous)) {
    const fields = Object.keys(previous);
    return { previous, next: Object.fromEntries(fields.map((field) => [field, data[field]])) };
  }
  if ('previousRole' in data) {
    return { previous: { role: data.previousRole ?? null }, next: { role: data.role } };
  }
  return { previous: null, next: current };
}

/**
 * What the audit log records of an event: the entity and action from the subject
 * (`task.updated` → task, updated), the entity id (a member is known by its user id), the team
 * it belongs to (a team event's own id, or the `teamId` it carries), who did it and from where.
 */
export function auditEntryFor(event: EventEnvelope): NewAuditEntry {
  const [entityType = event.subject, action = ''] = event.subject.split('.');
  // A secret an event carries (the token of a reset or verification link) never reaches the log.
  const data: Fields = isObject(event.data) ? withoutSecrets(event.subject, event.data) : {};
  const entityId = entityType === 'member' ? data.userId : data.id;
  const teamId = entityType === 'team' ? data.id : data.teamId;
  const { previous, next } = statesOf(action, data);
  return {
    eventId: event.id,
    subject: event.subject,
    entityType,
    entityId: typeof entityId === 'string' ? entityId : '',
    action,
    teamId: stringOrNull(teamId),
    actorId: stringOrNull(event.metadata.actorId),
    occurredAt: new Date(event.occurredAt),
    previousState: previous,
    newState: next,
    ipAddress: stringOrNull(event.metadata.ip),
    userAgent: stringOrNull(event.metadata.userAgent),
    requestId: stringOrNull(event.metadata.requestId),
  };
}
