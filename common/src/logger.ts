import pino, { type Logger, type LoggerOptions } from 'pino';
import { traceIdsForLog } from './tracing/context';

export type { Logger } from 'pino';

/**
 * One logger per process, with the service name on every line, and inside a traced request or
 * event the trace's `trace_id` and `span_id`, so a line leads to its trace. JSON unless
 * LOG_PRETTY=true; silent in tests unless LOG_LEVEL says otherwise.
 */
export function createLogger(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
  destination?: pino.DestinationStream,
): Logger {
  const defaultLevel = env.NODE_ENV === 'test' ? 'silent' : 'info';
  const options: LoggerOptions = {
    level: env.LOG_LEVEL ?? defaultLevel,
    base: { service },
    mixin: traceIdsForLog,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.jwt',
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (env.LOG_PRETTY === 'true') {
    options.transport = { target: 'pino-pretty', options: { colorize: true } };
  }
  return destination ? pino(options, destination) : pino(options);
}
