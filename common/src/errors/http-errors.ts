import { CustomError, type SerializedError } from './custom-error';

export class BadRequestError extends CustomError {
  readonly statusCode = 400;

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  override serializeErrors(): SerializedError[] {
    return [this.field ? { message: this.message, field: this.field } : { message: this.message }];
  }
}

export class NotAuthorizedError extends CustomError {
  readonly statusCode = 401;

  constructor(message = 'Not authorized') {
    super(message);
  }
}

export class ForbiddenError extends CustomError {
  readonly statusCode = 403;

  constructor(message = 'Forbidden') {
    super(message);
  }
}

export class NotFoundError extends CustomError {
  readonly statusCode = 404;

  constructor(message = 'Not found') {
    super(message);
  }
}

export class ConflictError extends CustomError {
  readonly statusCode = 409;

  constructor(message = 'Conflict') {
    super(message);
  }
}

export class PayloadTooLargeError extends CustomError {
  readonly statusCode = 413;

  constructor(message = 'Request body too large') {
    super(message);
  }
}

export class TooManyRequestsError extends CustomError {
  readonly statusCode = 429;

  constructor(message = 'Too many requests, please try again later') {
    super(message);
  }
}

/** A backing store is unreachable: the request may succeed later. */
export class DatabaseConnectionError extends CustomError {
  readonly statusCode = 503;

  constructor(message = 'Service temporarily unavailable') {
    super(message);
  }
}

export class RequestValidationError extends CustomError {
  readonly statusCode = 400;

  constructor(readonly fieldErrors: SerializedError[]) {
    super('Invalid request parameters');
  }

  override serializeErrors(): SerializedError[] {
    return this.fieldErrors;
  }
}
