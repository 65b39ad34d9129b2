import { isEmailAddress } from '@taskforge/common';
import { body } from 'express-validator';

export const PASSWORD_LENGTH = { min: 8, max: 128 } as const;
export const PASSWORD_MESSAGE = `Password must be between ${PASSWORD_LENGTH.min} and ${PASSWORD_LENGTH.max} characters`;

/** Emails are compared trimmed and lower-cased everywhere. */
export const emailField = () =>
  body('email')
    .isString()
    .withMessage('Email must be valid')
    .bail()
    .trim()
    .toLowerCase()
    .custom(isEmailAddress)
    .withMessage('Email must be valid');

export const newPasswordField = (field: string) =>
  body(field)
    .isString()
    .withMessage(PASSWORD_MESSAGE)
    .bail()
    .isLength(PASSWORD_LENGTH)
    .withMessage(PASSWORD_MESSAGE);

/** A password given to be checked: only its presence is validated, never its rules. */
export const suppliedPasswordField = (field: string) =>
  body(field)
    .isString()
    .withMessage('You must supply a password')
    .bail()
    .isLength({ min: 1, max: 1024 })
    .withMessage('You must supply a password');
