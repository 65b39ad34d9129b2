import { renameSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';

export interface ServiceHandle {
  server: Server;
  shutdown(signal?: string): Promise<void>;
}

export interface StartOptions {
  app: Express;
  port: number;
  /** The address to listen on; every interface when undefined. */
  host?: string | undefined;
  /** Where to write the port it listens on once it does (with port 0, the kernel's pick). */
  portFile?: string | undefined;
  logger: Logger;
  /** Run as soon as the server stops accepting, while in-flight requests drain (end SSE streams). */
  onStopAccepting?: Array<() => Promise<unknown>>;
  /** Run in order after the server stops accepting: stop consumers, relay, drain NATS, close DBs. */
  onShutdown: Array<() => Promise<unknown>>;
  /** Longest time to wait for in-flight requests before closing their connections. */
  drainTimeoutMs?: number;
}

/**
 * Listens, and on SIGTERM/SIGINT shuts down in the order Kubernetes expects: stop accepting,
 * finish in-flight requests, run the shutdown steps, exit 0. A second signal exits at once.
 */
export function startService(options: StartOptions): Promise<ServiceHandle> {
  const { app, port, host, logger } = options;
  return new Promise((resolve, reject) => {
    const listening = (err?: Error) => {
      if (err) {
        reject(err);
        return;
      }
      const bound = (server.address() as AddressInfo).port;
      if (options.portFile) {
        // Written whole, then renamed: whoever sees the file reads the complete port.
        writeFileSync(`${options.portFile}.tmp`, String(bound));
        renameSync(`${options.portFile}.tmp`, options.portFile);
      }
      logger.info({ port: bound, host: host ?? '*' }, 'listening');
      let closing: Promise<void> | undefined;
      const shutdown = (signal = 'shutdown'): Promise<void> => {
        closing ??= (async () => {
          logger.info({ signal }, 'shutting down');
          const forceClose = setTimeout(
            () => server.closeAllConnections(),
            options.drainTimeoutMs ?? 10_000,
          );
          forceClose.unref();
          const closed = new Promise<void>((done) => server.close(() => done()));
          server.closeIdleConnections();
          for (const step of options.onStopAccepting ?? []) {
            try {
              await step();
            } catch (stepErr) {
              logger.error({ err: stepErr }, 'shutdown step failed');
            }
          }
          // The responses those steps ended left their keep-alive connections idle.
          if (options.onStopAccepting?.length) server.closeIdleConnections();
          await closed;
          clearTimeout(forceClose);
          for (const step of options.onShutdown) {
            try {
              await step();
            } catch (stepErr) {
              logger.error({ err: stepErr }, 'shutdown step failed');
            }
          }
          logger.info('stopped');
        })();
        return closing;
      };
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          process.once(signal, () => process.exit(1));
          void shutdown(signal).then(() => process.exit(0));
        });
      }
      resolve({ server, shutdown });
    };
    const server =
      host === undefined ? app.listen(port, listening) : app.listen(port, host, listening);
  });
}
