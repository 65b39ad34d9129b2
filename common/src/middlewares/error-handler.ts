import type { ErrorRequestHandler } from 'express';
import { CustomError } from '../errors';
import { isStoreDeadlock } from '../outbox/retry-on-conflict';

interface MaybeHttpError {
  name?: string;
  message?: string;
  type?: string;
  status?: number;
  code?: string | number;
  path?: string;
  errors?: Record<string, { path?: string; message?: string }>;
}

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'DatabaseConnectionError',
]);
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03']);

/**
 * FerretDB v2 answers every command with InternalError (code 1) while the PostgreSQL under it is
 * away: "terminating connection due to administrator command" as it shuts down, then "failed to
 * connect to …" until it is back. FerretDB itself stays reachable, so the driver sees a server
 * error, not a network one; the request may succeed later, like one that met a restarting server.
 */
const STORE_BACKEND_DOWN =
  /failed to connect to|terminating connection due to administrator command|the database system is (shutting down|starting up|in recovery mode)|conn closed|unexpected EOF/;

function isStoreBackendDown(err: MaybeHttpError): boolean {
  return (
    err.name === 'MongoServerError' && err.code === 1 && STORE_BACKEND_DOWN.test(err.message ?? '')
  );
}

function isObject(value: unknown): value is MaybeHttpError {
  return typeof value === 'object' && value !== null;
}

/**
 * The last middleware of every app: answers known errors in the common JSON shape and turns
 * anything unexpected into a generic 500, logged with the request id (never sent to clients).
 */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof CustomError) {
    res.status(err.statusCode).send({ errors: err.serializeErrors() });
    return;
  }
  if (isObject(err)) {
    if (err.type === 'entity.parse.failed') {
      res.status(400).send({ errors: [{ message: 'Malformed JSON body' }] });
      return;
    }
    // A JSON body in a charset or content coding body-parser does not read (415): the
    // documents answer bad input with 400, so this is bad input too.
    if (err.type === 'charset.unsupported' || err.type === 'encoding.unsupported') {
      res.status(400).send({ errors: [{ message: 'The body must be JSON in UTF-8' }] });
      return;
    }
    if (err.type === 'entity.too.large') {
      res.status(413).send({ errors: [{ message: 'Request body too large' }] });
      return;
    }
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500 && err.type) {
      res.status(err.status).send({ errors: [{ message: 'Bad request' }] });
      return;
    }
    if (err.name === 'CastError') {
      const field = typeof err.path === 'string' ? err.path : undefined;
      res.status(400).send({ errors: [{ message: 'Invalid identifier or value', field }] });
      return;
    }
    if (err.name === 'ValidationError' && err.errors) {
      res.status(400).send({
        errors: Object.values(err.errors).map((e) => ({
          message: e.message ?? 'Invalid value',
          field: e.path,
        })),
      });
      return;
    }
    if (err.name === 'VersionError') {
      res
        .status(409)
        .send({ errors: [{ message: 'The resource was changed by another request; retry' }] });
      return;
    }
    if (
      UNAVAILABLE_NAMES.has(err.name ?? '') ||
      UNAVAILABLE_CODES.has(String(err.code ?? '')) ||
      isStoreBackendDown(err) ||
      isStoreDeadlock(err)
    ) {
      req.log?.warn({ err }, 'backing store unavailable');
      res.status(503).send({ errors: [{ message: 'Service temporarily unavailable' }] });
      return;
    }
  }
  req.log?.error({ err, requestId: req.id }, 'unhandled error');
  res.status(500).send({ errors: [{ message: 'Something went wrong' }] });
};
