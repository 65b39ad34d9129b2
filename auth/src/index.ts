import './tracing';
import { runMongoService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { authListeners } from './events/listeners';
import { PasswordReset } from './models/password-reset';
import { User } from './models/user';

runMongoService({
  service: 'auth',
  readConfig,
  outboxModels: [User, PasswordReset],
  listeners: () => authListeners(),
  buildApp: ({ config, logger, redis, bus, kickRelay }) =>
    buildApp({ config, logger, redis, nats: bus.nc, onEventsRecorded: kickRelay }),
});
