import cookieSession from 'cookie-session';
import cors from 'cors';
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import { NotFoundError, RequestValidationError } from '../errors';
import { currentUser } from '../middlewares/current-user';
import { errorHandler } from '../middlewares/error-handler';
import { healthRouter, type ReadinessCheck } from '../middlewares/health';
import { metricsMiddleware, metricsRouter } from '../middlewares/metrics';
import { requestLogger } from '../middlewares/request-logger';

export interface AppOptions {
  service: string;
  logger: Logger;
  /** Auth's public key: every service verifies session tokens with it. */
  jwtPublicKey: string;
  /** Send the cookie only over HTTPS; off in tests and on plain-HTTP local stacks. */
  cookieSecure: boolean;
  corsOrigins?: string[];
  bodyLimit?: string;
  readiness?: Record<string, ReadinessCheck>;
  /** Applied to every /api route, before the service's own routers. */
  rateLimiter?: RequestHandler;
  /** OpenAPI document, served as JSON at `${path}.json` and as Swagger UI at `path`. */
  docs?: { path: string; document: object };
  routers: Router[];
  trustProxyHops?: number;
}

/** A request that carries a body of at least one byte (`Content-Length: 0` is no body). */
function hasContent(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = Number(req.headers['content-length']);
  return Number.isFinite(length) && length > 0;
}

/**
 * Everything a TaskForge service has in common, in the right order, so each service's
 * `app.ts` only names its routers. No I/O happens here: tests build apps freely.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // One hop: ingress-nginx in Kubernetes, the gateway locally. More would let clients spoof IPs.
  app.set('trust proxy', options.trustProxyHops ?? 1);
  app.set('query parser', 'extended');

  app.use(requestLogger(options.logger));
  app.use(metricsMiddleware(options.service));
  app.use(healthRouter(options.readiness ?? {}));
  app.use(metricsRouter());

  if (options.docs) {
    const { path, document } = options.docs;
    app.get(`${path}.json`, (_req, res) => {
      res.send(document);
    });
    // Swagger UI's page needs inline styles and scripts; relax the policy for it alone.
    app.use(path, helmet({ contentSecurityPolicy: false }), swaggerUi.serve);
    app.get(path, swaggerUi.setup(document));
  }

  app.use(helmet());
  app.use(
    cors({
      origin: options.corsOrigins && options.corsOrigins.length > 0 ? options.corsOrigins : false,
      credentials: true,
    }),
  );
  app.use(express.json({ limit: options.bodyLimit ?? '100kb' }));
  app.use((req, _res, next) => {
    if (req.body === undefined) {
      // express.json left it unset: no body, or one of another type, which no route reads.
      if (hasContent(req)) {
        throw new RequestValidationError([
          { message: 'The body must be JSON (Content-Type: application/json)' },
        ]);
      }
      // Routes read `req.body` as an object; without a body each field is simply missing.
      req.body = {};
    }
    // Every request body of the suite is an object; express.json also lets an array through,
    // which field validators then see as "no fields" (a PATCH answered 200, changing nothing).
    if (Array.isArray(req.body)) {
      throw new RequestValidationError([{ message: 'The body must be a JSON object' }]);
    }
    next();
  });
  app.use(
    cookieSession({
      name: 'session',
      signed: false,
      httpOnly: true,
      sameSite: 'lax',
      secure: options.cookieSecure,
    }),
  );
  app.use(currentUser(options.jwtPublicKey));
  if (options.rateLimiter) app.use('/api', options.rateLimiter);

  for (const router of options.routers) app.use(router);

  app.all('/{*path}', () => {
    throw new NotFoundError('Route not found');
  });
  app.use(errorHandler);
  return app;
}
