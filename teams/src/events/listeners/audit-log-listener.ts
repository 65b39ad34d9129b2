import { Listener, type EventData, type ListenerContext, type Subject } from '@taskforge/common';
import type { Pool } from 'pg';
import { recordAuditEntry } from '../../models/audit-logs';
import { auditEntryFor } from '../audit-entry';

/**
 * Records one subject's events in the audit log. The consumer runs one listener per subject, so
 * the audit consumer gets one of these for every subject of the catalogue (events/listeners.ts).
 * A redelivered event (same event id) inserts nothing: each event is recorded exactly once. On
 * user.deleted the log also forgets the user's personal data, whether their other events came
 * before or come after it on this durable.
 */
export class AuditLogListener<S extends Subject = Subject> extends Listener<S> {
  constructor(
    readonly subject: S,
    private readonly pool: Pool,
  ) {
    super();
  }

  async onMessage(data: unknown, { event, logger }: ListenerContext<S>): Promise<void> {
    const forget =
      event.subject === 'user.deleted' ? (data as EventData<'user.deleted'>).id : undefined;
    const recorded = await recordAuditEntry(this.pool, auditEntryFor(event), { forget });
    if (!recorded) logger.debug({ eventId: event.id }, 'event already in the audit log');
  }
}
