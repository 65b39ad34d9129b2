import './tracing';
import { runMongoService } from '@taskforge/common';
import { buildApp } from './app';
import { readConfig } from './config';
import { ticketsListeners } from './events/listeners';
import { Ticket } from './models/ticket';

runMongoService({
  service: 'tickets',
  readConfig,
  outboxModels: [Ticket],
  listeners: ({ kickRelay }) => ticketsListeners({ eventsRecorded: kickRelay }),
  buildApp: ({ config, logger, redis, bus, kickRelay }) =>
    buildApp({ config, logger, redis, nats: bus.nc, onEventsRecorded: kickRelay }),
});
