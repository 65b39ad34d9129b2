import cookieSession from 'cookie-session';
import cors from 'cors';
import express, { type Express, type Request, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import { NotFoundError, RequestValidationError } from '../errors';
import { currentUser, type SessionVersions } from '../middlewares/current-user';
import { errorHandler } from '../middlewares/error-handler';
import { healthRouter, type ReadinessCheck } from '../middlewares/health';
import { metricsMiddleware, metricsRouter } from '../middlewares/metrics';
import { requestLogger } from '../middlewares/request-logger';

export interface AppOptions {
  service: string;
  logger: Logger;
  /** Auth's public key: every service verifies session tokens with it. */
  jwtPublicKey: string;
  /** The users' session versions as this service knows them (its copy of `user.*`). */
  sessionVersions?: SessionVersions;
  /** Send the cookie only over HTTPS; off in tests and on plain-HTTP local stacks. */
  cookieSecure: boolean;
  corsOrigins?: string[];
  bodyLimit?: string;
  readiness?: Record<string, ReadinessCheck>;
  /** Added to `/readyz`'s answer as `details`. */
  readinessDetails?: () => Record<string, unknown>;
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
 * Whether any string (or key) in a parsed body or query holds U+0000, and under which top-level
 * field. A loop, not recursion: bodies may nest thousands deep.
 */
function fieldWithNul(root: unknown): { field?: string } | undefined {
  if (typeof root !== 'object' || root === null) return undefined;
  const pending: Array<[unknown, string]> = Object.entries(root).map(([k, v]) => [v, k]);
  for (const key of Object.keys(root)) if (key.includes('\u0000')) return {};
  for (let item = pending.pop(); item; item = pending.pop()) {
    const [value, field] = item;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field };
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) {
        if (key.includes('\u0000')) return { field };
        pending.push([inner, field]);
      }
    }
  }
  return undefined;
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
  app.use(healthRouter(options.readiness ?? {}, options.readinessDetails));
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
    // PostgreSQL text and jsonb cannot hold U+0000: teams answered 500, and a task title with
    // one reached teams' audit log in an event it could never record.
    const nul = fieldWithNul(req.body) ?? fieldWithNul(req.query);
    if (nul !== undefined) {
      throw new RequestValidationError([
        { message: 'Text must not contain the NUL character (U+0000)', ...nul },
      ]);
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
  app.use(currentUser(options.jwtPublicKey, options.sessionVersions));
  if (options.rateLimiter) app.use('/api', options.rateLimiter);

  for (const router of options.routers) app.use(router);

  app.all('/{*path}', () => {
    throw new NotFoundError('Route not found');
  });
  app.use(errorHandler);
  return app;
}
