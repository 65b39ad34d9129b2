import {
  EMAIL_MAX_LENGTH,
  errorResponseSchema,
  openApi,
  PERMISSIONS,
  ROLES,
} from '@taskforge/common';
import { DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH } from './db/teams';
import { ACTIONS, CSV_COLUMNS, ENTITY_TYPES, MAX_CSV_PAGE_SIZE } from './routes/audit/index';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './routes/pagination';

const { ref, json, errorBody, nullable, rateLimitHeaders, pageHeaders, tooManyRequests } = openApi;

const unauthorized = errorBody('Not signed in');
const teamNotFound = errorBody(
  'No such team, or the caller is not a member (the two are not told apart), or a malformed id',
);

const teamIdParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'Team id (a UUID); anything else is answered 404',
  schema: { type: 'string' },
};
const userIdParameter = {
  name: 'userId',
  in: 'path',
  required: true,
  description: 'The member’s user id (as issued by auth)',
  schema: { type: 'string', maxLength: 64 },
};
const pageParameters = (max: number, defaultSize: number, extra = '') => [
  {
    name: 'limit',
    in: 'query',
    description: `Page size${extra}`,
    schema: { type: 'integer', minimum: 1, maximum: max, default: defaultSize },
  },
  {
    name: 'cursor',
    in: 'query',
    description: 'Opaque; the `X-Next-Cursor` of the previous page',
    schema: { type: 'string' },
  },
];

const timestamps = {
  createdAt: { type: 'string', format: 'date-time' },
  updatedAt: { type: 'string', format: 'date-time' },
};

const teamFields = {
  id: { type: 'string', format: 'uuid' },
  name: { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH },
  description: nullable({ type: 'string', maxLength: DESCRIPTION_MAX_LENGTH }),
  createdBy: { type: 'string', description: 'User id of the creator' },
  ...timestamps,
  version: {
    type: 'integer',
    minimum: 0,
    description: 'Bumped by every write to the team or its permissions; team.* events carry it',
  },
  role: { ...ref('Role'), description: 'The caller’s role in the team' },
};
const teamRequired = [
  'id',
  'name',
  'description',
  'createdBy',
  'createdAt',
  'updatedAt',
  'version',
  'role',
];

const teamEvents =
  'team.created / team.updated carry `{ id, version, name, description, createdBy, permissions }` ' +
  '(the whole permission table) and, on updates, `previous` (the old values of what changed); ' +
  'team.deleted carries `{ id, version, name, description, createdBy }`: it revokes every ' +
  'membership of the team, no ' +
  'member.removed follows. member.added / member.updated / member.removed carry `{ teamId, ' +
  'userId, role, version }` (+ `previousRole` on updates); the version of one (team, user) rises ' +
  'by exactly one per event, across removals and re-additions.';

/** OpenAPI 3.1 description of the teams API; tests check every route's real answers against it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'TaskForge teams',
    version: '0.1.0',
    description:
      'Teams, their members and roles, what each role may do, and the audit log of the suite. ' +
      'Every route needs the `session` cookie set by auth. A team is visible to its members ' +
      'only: to anyone else it does not exist (404). Writes publish versioned events through ' +
      'an outbox. ' +
      teamEvents,
  },
  servers: [{ url: '/' }],
  tags: [{ name: 'teams' }, { name: 'members' }, { name: 'permissions' }, { name: 'audit' }],
  security: [{ session: [] }],
  components: {
    securitySchemes: openApi.sessionSecurityScheme,
    schemas: {
      ErrorResponse: errorResponseSchema,
      Role: { type: 'string', enum: [...ROLES] },
      Permission: { type: 'string', enum: [...PERMISSIONS] },
      RolePermissions: {
        type: 'object',
        description: 'What each role may do',
        required: [...ROLES],
        additionalProperties: false,
        properties: Object.fromEntries(
          ROLES.map((role) => [
            role,
            { type: 'array', uniqueItems: true, items: ref('Permission') },
          ]),
        ),
      },
      Team: {
        type: 'object',
        required: [...teamRequired, 'permissions'],
        additionalProperties: false,
        properties: { ...teamFields, permissions: ref('RolePermissions') },
      },
      TeamListItem: {
        type: 'object',
        required: [...teamRequired, 'joinedAt'],
        additionalProperties: false,
        properties: { ...teamFields, joinedAt: { type: 'string', format: 'date-time' } },
      },
      TeamInput: {
        type: 'object',
        required: ['name'],
        properties: {
          name: {
            type: 'string',
            minLength: 1,
            maxLength: NAME_MAX_LENGTH,
            description: 'Trimmed',
          },
          description: {
            ...nullable({ type: 'string', maxLength: DESCRIPTION_MAX_LENGTH }),
            description: 'Trimmed; empty or null means none',
          },
        },
      },
      TeamUpdate: {
        type: 'object',
        minProperties: 1,
        description: 'At least one of name and description',
        properties: {
          name: { type: 'string', minLength: 1, maxLength: NAME_MAX_LENGTH },
          description: nullable({ type: 'string', maxLength: DESCRIPTION_MAX_LENGTH }),
        },
      },
      Member: {
        type: 'object',
        required: ['userId', 'role', 'joinedAt', 'version', 'email', 'firstName', 'lastName'],
        additionalProperties: false,
        properties: {
          userId: { type: 'string' },
          role: ref('Role'),
          joinedAt: { type: 'string', format: 'date-time' },
          version: {
            type: 'integer',
            minimum: 0,
            description: 'The membership version; member.* events carry it',
          },
          email: {
            ...nullable({ type: 'string' }),
            description: 'From the user directory; null until the user’s event has arrived',
          },
          firstName: nullable({ type: 'string' }),
          lastName: nullable({ type: 'string' }),
        },
      },
      MemberInput: {
        type: 'object',
        description: 'Exactly one of email and userId, naming someone in the user directory',
        properties: {
          email: { type: 'string', format: 'email', maxLength: EMAIL_MAX_LENGTH },
          userId: { type: 'string', maxLength: 64 },
          role: { ...ref('Role'), default: 'member' },
        },
      },
      RoleInput: {
        type: 'object',
        required: ['role'],
        properties: { role: ref('Role') },
      },
      Permissions: {
        type: 'object',
        required: ['teamId', 'version', 'permissions'],
        additionalProperties: false,
        properties: {
          teamId: { type: 'string', format: 'uuid' },
          version: { type: 'integer', minimum: 0, description: 'The team version' },
          permissions: ref('RolePermissions'),
        },
      },
      PermissionsInput: {
        type: 'object',
        required: ['permissions'],
        properties: {
          permissions: {
            allOf: [ref('RolePermissions')],
            description:
              'The whole table. Admins always keep `member.manage`; `team.delete` can only ' +
              'be granted to admins. Duplicates are dropped.',
          },
        },
      },
      AuditEntry: {
        type: 'object',
        required: [
          'id',
          'eventId',
          'subject',
          'entityType',
          'entityId',
          'action',
          'teamId',
          'actorId',
          'occurredAt',
          'previousState',
          'newState',
          'ipAddress',
          'userAgent',
          'requestId',
        ],
        additionalProperties: false,
        properties: {
          id: { type: 'string', pattern: '^\\d+$' },
          eventId: { type: 'string', format: 'uuid' },
          subject: { type: 'string', examples: ['member.updated'] },
          entityType: { type: 'string', enum: ENTITY_TYPES },
          entityId: {
            type: 'string',
            description: 'The entity’s id; for member events the member’s user id',
          },
          action: { type: 'string', enum: ACTIONS },
          teamId: nullable({ type: 'string' }),
          actorId: {
            ...nullable({ type: 'string' }),
            description: 'Who caused it (null for system events)',
          },
          occurredAt: { type: 'string', format: 'date-time' },
          previousState: {
            description: 'What the event says was there before (null for creations)',
          },
          newState: { description: 'What the event says is there after (null for deletions)' },
          ipAddress: nullable({ type: 'string' }),
          userAgent: nullable({ type: 'string' }),
          requestId: nullable({ type: 'string' }),
        },
      },
    },
  },
  paths: {
    '/api/teams': {
      get: {
        tags: ['teams'],
        summary: 'The teams I belong to',
        description: 'With my role in each, most recently joined first.',
        parameters: pageParameters(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
        responses: {
          200: {
            description: 'One page of teams',
            headers: { ...pageHeaders, ...rateLimitHeaders },
            content: json({ type: 'array', items: ref('TeamListItem') }),
          },
          400: errorBody('Invalid limit or cursor'),
          401: unauthorized,
          429: tooManyRequests(),
        },
      },
      post: {
        tags: ['teams'],
        summary: 'Create a team',
        description:
          'The creator becomes its admin. Roles get the default permissions: admin all; member ' +
          '`task.create`, `task.update`, `task.assign`, `comment.create`; guest none (read ' +
          'only). Publishes team.created (version 0) and member.added for the creator (version 0).',
        requestBody: { required: true, content: json(ref('TeamInput')) },
        responses: {
          201: { description: 'Created', content: json(ref('Team')) },
          400: errorBody('Invalid name or description, or malformed JSON'),
          401: unauthorized,
          429: tooManyRequests(),
        },
      },
    },
    '/api/teams/{id}': {
      parameters: [teamIdParameter],
      get: {
        tags: ['teams'],
        summary: 'Show a team',
        description: 'Members only.',
        responses: {
          200: { description: 'The team', content: json(ref('Team')) },
          401: unauthorized,
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
      patch: {
        tags: ['teams'],
        summary: 'Rename or re-describe a team',
        description:
          'Needs `team.update`. Publishes team.updated (version + 1) when something changed; ' +
          'a change to the same values writes nothing.',
        requestBody: { required: true, content: json(ref('TeamUpdate')) },
        responses: {
          200: { description: 'The team', content: json(ref('Team')) },
          400: errorBody('Invalid input'),
          401: unauthorized,
          403: errorBody('The caller’s role lacks team.update'),
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
      delete: {
        tags: ['teams'],
        summary: 'Delete a team',
        description:
          'Admins holding `team.delete`. Deletes its memberships too and publishes team.deleted ' +
          '(version + 1), which stands for the end of every membership.',
        responses: {
          204: { description: 'Deleted' },
          401: unauthorized,
          403: errorBody('Not an admin, or the admin role lacks team.delete'),
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
    },
    '/api/teams/{id}/members': {
      parameters: [teamIdParameter],
      get: {
        tags: ['members'],
        summary: 'List a team’s members',
        description: 'Any member may; in the order they joined.',
        parameters: pageParameters(MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE),
        responses: {
          200: {
            description: 'One page of members',
            headers: { ...pageHeaders, ...rateLimitHeaders },
            content: json({ type: 'array', items: ref('Member') }),
          },
          400: errorBody('Invalid limit or cursor'),
          401: unauthorized,
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
      post: {
        tags: ['members'],
        summary: 'Add a member',
        description:
          'Needs `member.manage`; only admins may add admins. The user must be in the user ' +
          'directory (replicated from auth). By `email`, only an account that has verified ' +
          'that address (accounts from before verification count as verified); by `userId`, ' +
          'any. Someone removed earlier may be added again. ' +
          'Publishes member.added at the membership’s next version (0 the first time).',
        requestBody: { required: true, content: json(ref('MemberInput')) },
        responses: {
          201: { description: 'Added', content: json(ref('Member')) },
          400: errorBody(
            'Invalid input: neither or both of email and userId, a bad role; or the account ' +
              'with that email has not verified it yet (field `email`, "This person has not ' +
              'verified their email address yet; they can be added once they have")',
          ),
          401: unauthorized,
          403: errorBody('Lacks member.manage, or adds an admin without being one'),
          404: errorBody(
            'No such team (or not a member), or "No user with that email" / "No user with that ' +
              'id" (field `email` / `userId`)',
          ),
          409: errorBody('Already a member'),
          429: tooManyRequests(),
        },
      },
    },
    '/api/teams/{id}/members/{userId}': {
      parameters: [teamIdParameter, userIdParameter],
      patch: {
        tags: ['members'],
        summary: 'Change a member’s role',
        description:
          'Needs `member.manage`; granting or revoking admin needs an admin. The last admin ' +
          'cannot be demoted (409). Publishes member.updated (version + 1, with previousRole) ' +
          'when the role changed.',
        requestBody: { required: true, content: json(ref('RoleInput')) },
        responses: {
          200: { description: 'The member', content: json(ref('Member')) },
          400: errorBody('Invalid role'),
          401: unauthorized,
          403: errorBody('Lacks member.manage, or touches the admin role without being an admin'),
          404: errorBody('No such team (or not a member), or no such member'),
          409: errorBody('The team would have no admin left'),
          429: tooManyRequests(),
        },
      },
      delete: {
        tags: ['members'],
        summary: 'Remove a member, or leave',
        description:
          'Removing someone else needs `member.manage` (and being an admin to remove an admin); ' +
          'anyone may remove themselves. The last admin cannot go (409). Publishes ' +
          'member.removed (version + 1).',
        responses: {
          204: { description: 'Removed' },
          401: unauthorized,
          403: errorBody('Lacks member.manage, or removes an admin without being one'),
          404: errorBody('No such team (or not a member), or no such member'),
          409: errorBody('The team would have no admin left'),
          429: tooManyRequests(),
        },
      },
    },
    '/api/teams/{id}/permissions': {
      parameters: [teamIdParameter],
      get: {
        tags: ['permissions'],
        summary: 'What each role may do',
        description: 'Any member may read it.',
        responses: {
          200: { description: 'The permission table', content: json(ref('Permissions')) },
          401: unauthorized,
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
      put: {
        tags: ['permissions'],
        summary: 'Replace what each role may do',
        description:
          'Admins only. Publishes team.updated (version + 1) with the new table when it changed.',
        requestBody: { required: true, content: json(ref('PermissionsInput')) },
        responses: {
          200: { description: 'The permission table', content: json(ref('Permissions')) },
          400: errorBody(
            'Invalid table: a role missing or unknown, an unknown permission, admins without ' +
              'member.manage, team.delete for a role other than admin',
          ),
          401: unauthorized,
          403: errorBody('Not an admin'),
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
    },
    '/api/teams/{id}/audit': {
      parameters: [teamIdParameter],
      get: {
        tags: ['audit'],
        summary: 'The team’s audit log',
        description:
          'Needs `audit.read`. Every event of the suite about the team (the team, its members, ' +
          'its tasks, comments and attachments), newest first, recorded once each. ' +
          '`format=csv` returns the same page as a CSV download (cells that a spreadsheet ' +
          'would run as a formula are prefixed with a quote).',
        parameters: [
          ...pageParameters(
            MAX_CSV_PAGE_SIZE,
            DEFAULT_PAGE_SIZE,
            `; at most ${MAX_PAGE_SIZE} as JSON, ${MAX_CSV_PAGE_SIZE} (and by default) as CSV`,
          ),
          {
            name: 'format',
            in: 'query',
            schema: { type: 'string', enum: ['json', 'csv'], default: 'json' },
          },
          { name: 'entityType', in: 'query', schema: { type: 'string', enum: ENTITY_TYPES } },
          { name: 'entityId', in: 'query', schema: { type: 'string', maxLength: 64 } },
          { name: 'actorId', in: 'query', schema: { type: 'string', maxLength: 64 } },
          { name: 'action', in: 'query', schema: { type: 'string', enum: ACTIONS } },
          {
            name: 'from',
            in: 'query',
            description: 'Only entries that occurred at or after this time (ISO 8601)',
            schema: { type: 'string', format: 'date-time' },
          },
          {
            name: 'to',
            in: 'query',
            description: 'Only entries that occurred at or before this time (ISO 8601)',
            schema: { type: 'string', format: 'date-time' },
          },
        ],
        responses: {
          200: {
            description: 'One page of entries',
            headers: {
              ...pageHeaders,
              ...rateLimitHeaders,
              'Content-Disposition': {
                description: 'CSV only: `attachment; filename=team-<id>-audit.csv`',
                schema: { type: 'string' },
              },
            },
            content: {
              ...json({ type: 'array', items: ref('AuditEntry') }),
              'text/csv': {
                schema: {
                  type: 'string',
                  description: `RFC 4180, a header row then one row per entry: ${CSV_COLUMNS.join(', ')}`,
                },
              },
            },
          },
          400: errorBody('Invalid filter, limit, cursor or format'),
          401: unauthorized,
          403: errorBody('The caller’s role lacks audit.read'),
          404: teamNotFound,
          429: tooManyRequests(),
        },
      },
    },
  },
};
