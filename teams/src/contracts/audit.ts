import { errorAnswer, openApi, route, SUBJECTS } from '@taskforge/common';
import { z } from 'zod';
import type { AuditEntry } from '../models/audit-logs';
import { MAX_PAGE_SIZE, memberAnswers, pageFields, teamPath, timestamp } from './shared';

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

const isAuditId = (id: string) => /^\d{1,19}$/.test(id);

/** `message` for a single value it is about; a parameter that is not one is "Invalid value". */
const queryError = (message: string) => ({
  error: (issue: { input?: unknown }) =>
    typeof issue.input === 'string' ? message : 'Invalid value',
});

const oneOf = (name: string, values: string[]) =>
  z
    .enum(
      values as [string, ...string[]],
      queryError(`${name} must be one of ${values.join(', ')}`),
    )
    .optional();

const idFilter = (name: string) =>
  z
    .string(queryError(`${name} must be 1 to 64 characters`))
    .min(1, `${name} must be 1 to 64 characters`)
    .max(64, `${name} must be 1 to 64 characters`)
    .optional();

// ISO 8601 as express-validator's isISO8601 (strict, strict `T`) read it, so the same values
// pass; those JavaScript cannot read as a time are refused (they used to match no entry).
const ISO_8601 =
  /^([+-]?\d{4}(?!\d{2}\b))((-?)((0[1-9]|1[0-2])(\3([12]\d|0[1-9]|3[01]))?|W([0-4]\d|5[0-3])(-?[1-7])?|(00[1-9]|0[1-9]\d|[12]\d{2}|3([0-5]\d|6[1-6])))(T((([01]\d|2[0-3])((:?)[0-5]\d)?|24:?00)([.,]\d+(?!:))?)?(\17[0-5]\d([.,]\d+)?)?([zZ]|([+-])([01]\d|2[0-3]):?([0-5]\d)?)?)?)?$/;

/** A real calendar day (no 31 February) that JavaScript can read as a time. */
function readTime(value: string): Date | undefined {
  if (!ISO_8601.test(value)) return undefined;
  const ordinal = /^(\d{4})-?(\d{3})([ T]\.*|$)/.exec(value);
  if (ordinal) {
    const year = Number(ordinal[1]);
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    if (Number(ordinal[2]) > (leap ? 366 : 365)) return undefined;
  } else {
    const [, year, month, day] = /(\d{4})-?(\d{0,2})-?(\d*)/.exec(value)!.map(Number);
    if (month && day) {
      const two = (n: number) => String(n).padStart(2, '0');
      const date = new Date(`${year}-${two(month)}-${two(day)}`);
      const same =
        date.getUTCFullYear() === year &&
        date.getUTCMonth() + 1 === month &&
        date.getUTCDate() === day;
      if (!same) return undefined;
    }
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

const timeFilter = (name: string, description: string) =>
  z
    .string(queryError(`${name} must be an ISO 8601 date-time`))
    .transform((value, ctx) => {
      const time = readTime(value);
      if (time) return time;
      ctx.addIssue({ code: 'custom', message: `${name} must be an ISO 8601 date-time` });
      return z.NEVER;
    })
    .optional()
    .meta({ type: 'string', format: 'date-time', description });

/** The audit query with the given page fields (their bounds depend on the format). */
function auditQuery(page: ReturnType<typeof pageFields>) {
  return z
    .object({
      ...page,
      format: z.enum(['json', 'csv'], queryError('format must be json or csv')).default('json'),
      entityType: oneOf('entityType', ENTITY_TYPES),
      action: oneOf('action', ACTIONS),
      entityId: idFilter('entityId'),
      actorId: idFilter('actorId'),
      from: timeFilter('from', 'Only entries that occurred at or after this time (ISO 8601)'),
      to: timeFilter('to', 'Only entries that occurred at or before this time (ISO 8601)'),
    })
    .refine((query) => !query.from || !query.to || query.from <= query.to, {
      path: ['to'],
      message: 'to must not be before from',
      // Like a check of the whole query, only once each parameter is right.
      when: (payload) => payload.issues.length === 0,
    });
}

/** What each format accepts: `handle` validates a request with the one it asks for. */
export const auditQueries = {
  json: auditQuery(pageFields(isAuditId)),
  csv: auditQuery(
    pageFields(isAuditId, { defaultLimit: MAX_CSV_PAGE_SIZE, maxLimit: MAX_CSV_PAGE_SIZE }),
  ),
};

export type AuditQuery = z.output<(typeof auditQueries)['json']>;

const nullableString = z.string().nullable();

export const auditEntryResponse = z
  .object({
    id: z.string().regex(/^\d+$/),
    eventId: z.guid(),
    subject: z.string().meta({ examples: ['member.updated'] }),
    entityType: z.enum(ENTITY_TYPES as [string, ...string[]]),
    entityId: z
      .string()
      .meta({ description: 'The entity’s id; for member events the member’s user id' }),
    action: z.enum(ACTIONS as [string, ...string[]]),
    teamId: nullableString,
    actorId: nullableString.meta({ description: 'Who caused it (null for system events)' }),
    occurredAt: timestamp,
    previousState: z
      .unknown()
      .meta({ description: 'What the event says was there before (null for creations)' }),
    newState: z
      .unknown()
      .meta({ description: 'What the event says is there after (null for deletions)' }),
    ipAddress: nullableString,
    userAgent: nullableString,
    requestId: nullableString,
  })
  .meta({ id: 'AuditEntry' });

export type AuditEntryResponse = z.output<typeof auditEntryResponse>;

export function toAuditEntryResponse(entry: AuditEntry): AuditEntryResponse {
  return {
    id: entry.id,
    eventId: entry.eventId,
    subject: entry.subject,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    teamId: entry.teamId,
    actorId: entry.actorId,
    occurredAt: entry.occurredAt.toISOString(),
    previousState: entry.previousState,
    newState: entry.newState,
    ipAddress: entry.ipAddress,
    userAgent: entry.userAgent,
    requestId: entry.requestId,
  };
}

export const listAuditLogRoute = route({
  method: 'get',
  path: '/api/teams/:id/audit',
  tags: ['audit'],
  summary: 'The team’s audit log',
  description:
    'Needs `audit.read`. Every event of the suite about the team (the team, its members, ' +
    'its tasks, comments and attachments), newest first, recorded once each. ' +
    '`format=csv` returns the same page as a CSV download (cells that a spreadsheet ' +
    'would run as a formula are prefixed with a quote).',
  signedIn: true,
  pathParams: teamPath,
  // For the document: `limit` as both formats take it (each validates with its own bounds).
  query: auditQuery(
    pageFields(isAuditId, {
      maxLimit: MAX_CSV_PAGE_SIZE,
      description: `Page size; at most ${MAX_PAGE_SIZE} as JSON, ${MAX_CSV_PAGE_SIZE} (and by default) as CSV`,
    }),
  ),
  responses: {
    200: {
      description: 'One page of entries',
      headers: {
        ...openApi.pageHeaders,
        ...openApi.rateLimitHeaders,
        'Content-Disposition': {
          description: 'CSV only: `attachment; filename=team-<id>-audit.csv`',
          schema: { type: 'string' },
        },
      },
      body: z.array(auditEntryResponse),
      otherContent: {
        'text/csv': {
          schema: {
            type: 'string',
            description: `RFC 4180, a header row then one row per entry: ${CSV_COLUMNS.join(', ')}`,
          },
        },
      },
    },
    400: errorAnswer('Invalid filter, limit, cursor or format'),
    ...memberAnswers,
    403: errorAnswer('The caller’s role lacks audit.read'),
  },
});
