import {
  EMAIL_MAX_LENGTH,
  errorAnswer,
  isEmailAddress,
  tooManyRequestsAnswer,
} from '@taskforge/common';
import { z } from 'zod';

/* What several of auth's contracts take and answer: credentials, link tokens, common answers. */

const PASSWORD_LENGTH = { min: 8, max: 128 } as const;
const PASSWORD_MESSAGE = `Password must be between ${PASSWORD_LENGTH.min} and ${PASSWORD_LENGTH.max} characters`;
const INVALID_EMAIL = 'Email must be valid';

/**
 * Characters as express-validator's isLength (validator.js 13.15) counted them: a pair of
 * surrogates is one, a variation selector after a character none. zod's `.min`/`.max` count
 * UTF-16 units, which would move the bounds of a password made of emoji.
 */
function characterCount(value: string): number {
  const selectors = value.match(/[^\uFE0F\uFE0E][\uFE0F\uFE0E]/g)?.length ?? 0;
  const pairs = value.match(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g)?.length ?? 0;
  return value.length - selectors - pairs;
}

const stringOfLength = (min: number, max: number, message: string) =>
  z
    .string({ error: message })
    .refine((value) => {
      const count = characterCount(value);
      return count >= min && count <= max;
    }, message)
    .meta({ minLength: min, maxLength: max });

/** Emails are compared trimmed and lower-cased everywhere. */
export const emailAddress = z
  .string({ error: INVALID_EMAIL })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX_LENGTH, { error: INVALID_EMAIL, abort: true })
  .refine(isEmailAddress, INVALID_EMAIL)
  .meta({ format: 'email' });

export const newPassword = stringOfLength(
  PASSWORD_LENGTH.min,
  PASSWORD_LENGTH.max,
  PASSWORD_MESSAGE,
);

/** A password given to be checked: only its presence is validated, never its rules. */
export const suppliedPassword = stringOfLength(1, 1024, 'You must supply a password');

/** The token of a link mailed to the user; any other string is refused with `invalidMessage`. */
export const linkToken = (invalidMessage: string) => stringOfLength(32, 128, invalidMessage);

export const sessionCookie = {
  'Set-Cookie': {
    description: 'The `session` cookie holding the signed JWT',
    schema: { type: 'string' },
  },
};

/** The answer of the routes that answer no data: `{}`. */
export const emptyBody = z.object({});

export const invalidInput = errorAnswer('Invalid input');
export const notSignedIn = errorAnswer('Not signed in');
export const noSuchUser = errorAnswer('No such user');
export const tooMany = tooManyRequestsAnswer();

/**
 * What every route on the signed-in user's own account may answer besides its own statuses:
 * no session, an account deleted since the cookie was issued, too many requests.
 */
export const ownAccountAnswers = { 401: notSignedIn, 404: noSuchUser, 429: tooMany };
