import {
  decodeTimeCursor,
  errorAnswer,
  NotFoundError,
  openApi,
  pageQueryFields,
  PERMISSIONS,
  ROLES,
  tooManyRequestsAnswer,
  type PathParam,
} from '@taskforge/common';
import { z } from 'zod';
import { MEMBER_NOT_FOUND } from '../services/membership-writes';
import { TEAM_NOT_FOUND } from '../services/team-access';

/* What several of the teams API's resources share: roles, permissions, ids, pages, answers. */

export const role = z.enum(ROLES).meta({ id: 'Role' });
export const permission = z.enum(PERMISSIONS).meta({ id: 'Permission' });

/** The whole table as the API answers it: every role, permissions in catalogue order. */
export const rolePermissions = z
  .strictObject(
    Object.fromEntries(
      ROLES.map((name) => [name, z.array(permission).meta({ uniqueItems: true })]),
    ) as Record<(typeof ROLES)[number], z.ZodArray<typeof permission>>,
  )
  .meta({ id: 'RolePermissions', description: 'What each role may do' });

export const timestamp = z.iso.datetime();

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** User ids come from auth (ObjectId hex today); anything id-like up to 64 characters. */
const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const isTeamId = (value: string) => UUID.test(value);
export const isUserId = (value: string) => USER_ID.test(value);

/*
 * A malformed team id in the path is answered like a team that does not exist (404), as is a
 * malformed user id: either way there is nothing there for this caller.
 */
export const teamPath = {
  id: {
    description: 'Team id (a UUID); anything else is answered 404',
    pattern: UUID.source,
    invalid: () => new NotFoundError(TEAM_NOT_FOUND),
  },
} satisfies Record<string, PathParam>;
export const memberPath = {
  ...teamPath,
  userId: {
    description: 'The member’s user id (as issued by auth)',
    pattern: USER_ID.source,
    invalid: () => new NotFoundError(MEMBER_NOT_FOUND),
  },
} satisfies Record<string, PathParam>;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/** `limit` and `cursor` of a list in (time, id) order, whose ids `isId` recognises. */
export function pageFields(
  isId: (id: string) => boolean,
  { defaultLimit = DEFAULT_PAGE_SIZE, maxLimit = MAX_PAGE_SIZE, description = 'Page size' } = {},
) {
  const fields = pageQueryFields({
    defaultLimit,
    maxLimit,
    decodeCursor: (value) => decodeTimeCursor(value, isId),
  });
  return { ...fields, limit: fields.limit.meta({ description }) };
}

/** The answers of a list: one page of `item`s with the paging headers, or a bad limit or cursor. */
export function pageAnswers<Item extends z.ZodType>(description: string, item: Item) {
  return {
    200: {
      description,
      headers: { ...openApi.pageHeaders, ...openApi.rateLimitHeaders },
      body: z.array(item),
    },
    400: errorAnswer('Invalid limit or cursor'),
  };
}

/**
 * A rule about the body as a whole (zod's `refine` options), answered without a field and with
 * the fields' own problems; a body that is no object at all gets only its own answer.
 */
export const wholeBodyRule = (message: string) => ({
  message,
  when: ({ value }: { value: unknown }) =>
    typeof value === 'object' && value !== null && !Array.isArray(value),
});

export const notSignedIn = errorAnswer('Not signed in');
export const teamNotFound = errorAnswer(
  'No such team, or the caller is not a member (the two are not told apart), or a malformed id',
);
export const tooMany = tooManyRequestsAnswer();

/** What every route may answer: it needs a session, and it is rate limited. */
export const signedInAnswers = { 401: notSignedIn, 429: tooMany };
/** What every route on one team may answer too: the caller is not one of its members. */
export const memberAnswers = { ...signedInAnswers, 404: teamNotFound };
