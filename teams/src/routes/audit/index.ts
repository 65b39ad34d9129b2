import { RequestValidationError, requireAuth, SUBJECTS, validateRequest } from '@taskforge/common';
import { stringify } from 'csv-stringify/sync';
import { Router, type Request } from 'express';
import { matchedData, query } from 'express-validator';
import type { Pool } from 'pg';
import { listAuditEntries, type AuditFilters } from '../../db/audit-logs';
import { readAccess, requirePermission } from '../../services/team-access';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  pageQuery,
  requestedPage,
  sendPage,
} from '../pagination';
import { toAuditEntryResponse } from '../responses';
import { teamIdParam } from '../validators';

export const ENTITY_TYPES = [...new Set(SUBJECTS.map((subject) => subject.split('.')[0]!))];
export const ACTIONS = [...new Set(SUBJECTS.map((subject) => subject.split('.')[1]!))];
/** A CSV export is read by a program, so its pages may be larger. */
export const MAX_CSV_PAGE_SIZE = 1000;

export const CSV_COLUMNS = [
  'id',
  'occurredAt',
  'subject',
  'entityType',
  'entityId',
  'action',
  'actorId',
  'ipAddress',
  'userAgent',
  'requestId',
  'eventId',
  'previousState',
  'newState',
] as const;

const isCsv = (req: Request) => req.query.format === 'csv';
const isAuditId = (id: string) => /^\d{1,19}$/.test(id);
const single = (value: unknown) => typeof value === 'string';

const idFilter = (name: string) =>
  query(name)
    .optional()
    .custom(single)
    .bail()
    .isLength({ min: 1, max: 64 })
    .withMessage(`${name} must be 1 to 64 characters`);

const timeFilter = (name: string) =>
  query(name)
    .optional()
    .custom(single)
    .bail()
    .isISO8601({ strict: true, strictSeparator: true })
    .withMessage(`${name} must be an ISO 8601 date-time`)
    .toDate();

/** Cells of one entry; states as JSON. csv-stringify quotes and neutralizes formulas. */
function csvRow(entry: ReturnType<typeof toAuditEntryResponse>): string[] {
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
  const router = Router();
  router.get(
    '/api/teams/:id/audit',
    requireAuth,
    teamIdParam,
    ...pageQuery(isAuditId, (req) => (isCsv(req) ? MAX_CSV_PAGE_SIZE : MAX_PAGE_SIZE)),
    query('format')
      .optional()
      .custom(single)
      .bail()
      .isIn(['json', 'csv'])
      .withMessage('format must be json or csv'),
    query('entityType')
      .optional()
      .custom(single)
      .bail()
      .isIn(ENTITY_TYPES)
      .withMessage(`entityType must be one of ${ENTITY_TYPES.join(', ')}`),
    query('action')
      .optional()
      .custom(single)
      .bail()
      .isIn(ACTIONS)
      .withMessage(`action must be one of ${ACTIONS.join(', ')}`),
    idFilter('entityId'),
    idFilter('actorId'),
    timeFilter('from'),
    timeFilter('to'),
    validateRequest,
    async (req, res) => {
      const { entityType, entityId, actorId, action, from, to } = matchedData<AuditFilters>(req, {
        locations: ['query'],
      });
      if (from && to && from > to) {
        throw new RequestValidationError([{ message: 'to must not be before from', field: 'to' }]);
      }
      const access = await readAccess(deps.pool, req.params.id as string, req.currentUser!.id);
      requirePermission(access, 'audit.read');
      const csv = isCsv(req);
      const { limit, after } = requestedPage(
        req,
        isAuditId,
        csv ? MAX_CSV_PAGE_SIZE : DEFAULT_PAGE_SIZE,
      );
      const rows = await listAuditEntries(
        deps.pool,
        access.team.id,
        { entityType, entityId, actorId, action, from, to },
        {
          limit: limit + 1,
          after,
        },
      );
      const page = sendPage(req, res, rows, limit, (entry) => ({
        at: entry.occurredAt,
        id: entry.id,
      })).map(toAuditEntryResponse);

      if (!csv) {
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
    },
  );
  return router;
}
