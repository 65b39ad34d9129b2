import './tracing';
import { runMongoService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { CONSUMER_CONCURRENCY, NotificationServices } from './services/notification-services';

runMongoService({
  service: 'notifications',
  readConfig,
  // Notifications publishes no events: no outbox, the relay finds nothing to send.
  outboxModels: [],
  parts: async ({ config, logger, redis }) => {
    const services = new NotificationServices({
      config,
      logger,
      redis,
      redisPrefix: 'notifications',
    });
    await services.start();
    return {
      context: { services },
      // Open SSE streams never end by themselves: close them as soon as shutdown begins.
      stopAccepting: () => services.hub.stop(),
      stop: () => services.stop(),
    };
  },
  listeners: ({ services }) => services.listeners(),
  consumerConcurrency: CONSUMER_CONCURRENCY,
  buildApp: ({ config, logger, redis, bus, services }) =>
    buildApp({ config, logger, redis, nats: bus.nc, inbox: services.inbox, hub: services.hub }),
});
