import type { RequestHandler } from 'express';
import { validationResult } from 'express-validator';
import { RequestValidationError } from '../errors';

/** Answers 400 with one entry per invalid field when express-validator found problems. */
export const validateRequest: RequestHandler = (req, _res, next) => {
  const result = validationResult(req);
  if (!result.isEmpty()) {
    const errors = result.array({ onlyFirstError: true }).map((e) => {
      const message = String(e.msg);
      return e.type === 'field' ? { message, field: e.path } : { message };
    });
    throw new RequestValidationError(errors);
  }
  next();
};
