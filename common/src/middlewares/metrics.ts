import type { RequestHandler } from 'express';
import { Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { routeTemplate } from '../tracing/route';

/** One registry per process, shared by every app the process builds. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/**
 * `read`, shared by everything that asks while one call is under way: the gauges of one scrape,
 * which prom-client collects side by side, get one reading of the figures they show between
 * them, and the next scrape reads anew.
 */
export function sharedWhileReading<T>(read: () => Promise<T>): () => Promise<T> {
  let reading: Promise<T> | undefined;
  return () =>
    (reading ??= read().finally(() => {
      reading = undefined;
    }));
}

/** Times every request and labels it by route template (`/api/tickets/:id`), never raw URL. */
export function metricsMiddleware(service: string): RequestHandler {
  if (!defaultsCollected) {
    metricsRegistry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: metricsRegistry });
    defaultsCollected = true;
  }
  return (req, res, next) => {
    const end = httpDuration.startTimer();
    res.on('finish', () => {
      end({ method: req.method, route: routeTemplate(req), status: String(res.statusCode) });
    });
    next();
  };
}

export function metricsRouter(): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metricsRegistry.contentType);
    res.send(await metricsRegistry.metrics());
  });
  return router;
}
