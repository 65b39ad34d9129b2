import { runMongoService, type MongoServiceContext } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig, type NotificationsConfig } from './config';
import { NotificationServices } from './notification-services';

let services: NotificationServices | undefined;

/**
 * runMongoService asks for the listeners, then the app, and has no start or shutdown step for
 * a service's own resources: both callbacks share one set of services, started here, and ended
 * on the signal before runMongoService's own shutdown (which waits for open requests, and SSE
 * streams never end by themselves).
 */
function servicesFor(context: MongoServiceContext<NotificationsConfig>): NotificationServices {
  if (services) return services;
  const created = new NotificationServices({
    config: context.config,
    logger: context.logger,
    redis: context.redis,
    redisPrefix: 'notifications',
  });
  created.start().catch((err: unknown) => {
    context.logger.fatal({ err }, 'notifications failed to start its jobs or live stream');
    process.exit(1);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      created.stop().catch((err: unknown) => context.logger.error({ err }, 'stop failed'));
    });
  }
  services = created;
  return created;
}

runMongoService({
  service: 'notifications',
  readConfig,
  // Notifications publishes no events: no outbox, the relay finds nothing to send.
  outboxModels: [],
  listeners: (context) => servicesFor(context).listeners(),
  buildApp: (context) => {
    const { inbox, hub } = servicesFor(context);
    const { config, logger, redis, bus } = context;
    return buildApp({ config, logger, redis, nats: bus.nc, inbox, hub });
  },
});
