import { Listener, SUBJECTS, type ListenerContext, type Subject } from '@taskforge/common';
import type { Pool } from 'pg';
import { insertAuditEntry } from '../../db/audit-logs';
import { auditEntryFor } from '../audit-entry';

/**
 * Records one subject's events in the audit log. The consumer runs one listener per subject,
 * so the audit consumer gets one of these for every subject of the catalogue. A redelivered
 * event (same event id) inserts nothing: each event is recorded exactly once.
 */
export class AuditLogListener<S extends Subject = Subject> extends Listener<S> {
  constructor(
    readonly subject: S,
    private readonly pool: Pool,
  ) {
    super();
  }

  async onMessage(_data: unknown, { event, logger }: ListenerContext<S>): Promise<void> {
    const recorded = await insertAuditEntry(this.pool, auditEntryFor(event));
    if (!recorded) logger.debug({ eventId: event.id }, 'event already in the audit log');
  }
}

export function auditListeners(pool: Pool): AuditLogListener[] {
  return SUBJECTS.map((subject) => new AuditLogListener(subject, pool));
}
