import { encodeTimeCursor, handle, requireAuth, sendPageHeaders } from '@taskforge/common';
import { stringify } from 'csv-stringify/sync';
import { Router, type Request, type Response } from 'express';
import type { Pool } from 'pg';
import {
  auditQueries,
  CSV_COLUMNS,
  listAuditLogRoute,
  toAuditEntryResponse,
  type AuditEntryResponse,
  type AuditQuery,
} from '../../contracts/audit';
import { listAuditEntries } from '../../models/audit-logs';
import { readAccess, requirePermission } from '../../services/team-access';

/** Cells of one entry; states as JSON. csv-stringify quotes and neutralizes formulas. */
function csvRow(entry: AuditEntryResponse): string[] {
  const json = (value: unknown) => (value === null ? '' : JSON.stringify(value));
  return [
    entry.id,
    entry.occurredAt,
    entry.subject,
    entry.entityType,
    entry.entityId,
    entry.action,
    entry.actorId ?? '',
    entry.ipAddress ?? '',
    entry.userAgent ?? '',
    entry.requestId ?? '',
    entry.eventId,
    json(entry.previousState),
    json(entry.newState),
  ];
}

/**
 * A team's audit log (needs audit.read): newest first, filtered, paged by cursor; as JSON or,
 * with `format=csv`, as a CSV download of the same page.
 */
export function indexAuditRouter(deps: { pool: Pool }): Router {
  async function answer({ query }: { query: AuditQuery }, req: Request, res: Response) {
    const { limit, cursor, format, ...filters } = query;
    const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
    requirePermission(access, 'audit.read');
    const rows = await listAuditEntries(deps.pool, access.team.id, filters, {
      limit: limit + 1,
      after: cursor,
    });
    const page = sendPageHeaders(req, res, rows, limit, (entry) =>
      encodeTimeCursor({ at: entry.occurredAt, id: entry.id }),
    ).map(toAuditEntryResponse);

    if (format === 'json') {
      res.send(page);
      return;
    }
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`team-${access.team.id}-audit.csv`);
    res.send(
      stringify([[...CSV_COLUMNS], ...page.map(csvRow)], {
        escape_formulas: true,
        record_delimiter: 'windows',
      }),
    );
  }
  // The bounds and default of `limit` depend on the format: each is validated by its own query.
  const byFormat = {
    json: handle({ ...listAuditLogRoute, query: auditQueries.json }, answer),
    csv: handle({ ...listAuditLogRoute, query: auditQueries.csv }, answer),
  };

  const router = Router();
  router.get(listAuditLogRoute.path, requireAuth, (req, res, next) =>
    byFormat[req.query.format === 'csv' ? 'csv' : 'json'](req, res, next),
  );
  return router;
}
