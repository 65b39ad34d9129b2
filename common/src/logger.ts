import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * One logger per process, with the service name on every line. JSON unless
 * LOG_PRETTY=true; silent in tests unless LOG_LEVEL says otherwise.
 */
export function createLogger(service: string, env: NodeJS.ProcessEnv = process.env): Logger {
  const defaultLevel = env.NODE_ENV === 'test' ? 'silent' : 'info';
  const options: LoggerOptions = {
    level: env.LOG_LEVEL ?? defaultLevel,
    base: { service },
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
  return pino(options);
}
