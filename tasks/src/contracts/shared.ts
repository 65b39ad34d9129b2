import {
  decodeTimeCursor,
  errorAnswer,
  openApi,
  pageQueryFields,
  tooManyRequestsAnswer,
} from '@taskforge/common';
import { z } from 'zod';

/*
 * What the contracts of tasks, comments, attachments and history have in common: ids, dates,
 * the task path parameter, the page of a task's entries and the answers every route gives.
 */

/** Ids other services issue (ObjectIds, UUIDs): what the event catalogue accepts. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Required, and of this type: "X is required" when missing or null, "X must be …" otherwise. */
export const required = (label: string, type: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined || issue.input === null
      ? `${label} is required`
      : `${label} must be ${type}`,
});

/** A moment as answered (`toISOString`); answers are documented, not parsed. */
export const dateTime = z.string().meta({ format: 'date-time' });

export const taskIdParam = {
  id: { description: 'Task id (24 hex characters); anything else is answered 404' },
};

/** A page of a task's comments or of its history, oldest or newest first. */
export const DEFAULT_ENTRY_PAGE_SIZE = 50;
export const MAX_ENTRY_PAGE_SIZE = 100;

export const entryPageQuery = z.object(
  pageQueryFields({
    defaultLimit: DEFAULT_ENTRY_PAGE_SIZE,
    maxLimit: MAX_ENTRY_PAGE_SIZE,
    decodeCursor: (value) => decodeTimeCursor(value, (id) => ID_PATTERN.test(id)),
  }),
);

/** The headers of a page of a list. */
export const pageHeaders = { ...openApi.pageHeaders, ...openApi.rateLimitHeaders };

/** What every route may answer: every route needs the session cookie, and is rate-limited. */
export const signedInAnswers = {
  401: errorAnswer('Not signed in'),
  429: tooManyRequestsAnswer(),
};

export const taskNotFound = errorAnswer(
  'No such task, or the user is not a member of its team (the two are not told apart)',
);
export const teamNotFound = errorAnswer('No such team, or not a member');
export const forbidden = errorAnswer('A member whose role lacks the permission (guests read only)');
export const taskChangedFirst = errorAnswer('Another request changed the task first; retry');
