export { CustomError, type SerializedError } from './custom-error';
export {
  BadRequestError,
  ConflictError,
  DatabaseConnectionError,
  ForbiddenError,
  NotAuthorizedError,
  NotFoundError,
  PayloadTooLargeError,
  RequestValidationError,
  TooManyRequestsError,
} from './http-errors';
