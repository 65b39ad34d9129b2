import { Router } from 'express';

export type ReadinessCheck = () => Promise<unknown>;

const CHECK_TIMEOUT_MS = 2000;

function withTimeout(check: ReadinessCheck): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS);
    check().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * `/healthz`: the process answers. `/readyz`: every backing store answers too; `details` adds
 * what the checks alone do not say (how the rate limits count, say).
 */
export function healthRouter(
  checks: Record<string, ReadinessCheck>,
  details?: () => Record<string, unknown>,
): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.send({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    const entries = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check);
          return [name, 'ok'] as const;
        } catch (err) {
          req.log?.warn({ check: name, err }, 'readiness check failed');
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const results = Object.fromEntries(entries);
    const ready = entries.every(([, state]) => state === 'ok');
    res.status(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'unavailable',
      checks: results,
      ...(details ? { details: details() } : {}),
    });
  });
  return router;
}

/** Readiness of a mongoose connection: the server answers a ping. */
export function mongoReady(connection: {
  db?: { command(cmd: object): Promise<unknown> } | undefined;
}): ReadinessCheck {
  return async () => {
    if (!connection.db) throw new Error('not connected');
    await connection.db.command({ ping: 1 });
  };
}

/** Readiness of a NATS connection: open, and the server answers a round trip. */
export function natsReady(nc: { isClosed(): boolean; flush(): Promise<void> }): ReadinessCheck {
  return async () => {
    if (nc.isClosed()) throw new Error('connection closed');
    await nc.flush();
  };
}

/** Readiness of Redis (ioredis) or PostgreSQL (pg pool): a trivial command answers. */
export function redisReady(redis: { ping(): Promise<unknown> }): ReadinessCheck {
  return () => redis.ping();
}

export function pgReady(pool: { query(sql: string): Promise<unknown> }): ReadinessCheck {
  return () => pool.query('SELECT 1');
}
