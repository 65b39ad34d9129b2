import { body } from 'express-validator';
import { CONTENT_MAX_LENGTH } from '../models/comment';

export const contentField = () =>
  body('content')
    .exists({ values: 'null' })
    .withMessage('Content is required')
    .bail()
    .isString()
    .withMessage('Content must be a string')
    .bail()
    .trim()
    .notEmpty()
    .withMessage('Content is required')
    .bail()
    .isLength({ max: CONTENT_MAX_LENGTH })
    .withMessage(`Content must be at most ${CONTENT_MAX_LENGTH} characters`);
