import './tracing';
import { runPgService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { runMigrations } from './db/migrate';
import { teamsConsumers } from './events/listeners';

runPgService({
  service: 'teams',
  readConfig,
  pool: (config) => ({ max: config.PG_POOL_MAX }),
  migrate: (pool, logger) => runMigrations(pool, { direction: 'up', logger }),
  buildApp: ({ config, logger, redis, bus, pool, kickRelay }) =>
    buildApp({ config, logger, redis, nats: bus.nc, pool, onEventsRecorded: kickRelay }),
  consumers: ({ pool, kickRelay }) => teamsConsumers({ pool, eventsRecorded: kickRelay }),
});
