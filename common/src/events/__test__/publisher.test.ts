import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { startNats, type TestNats } from '../../testing';
import { EVENT_STREAM } from '../catalogue';
import { connectEventBus, ensureStream, type EventBus } from '../connection';
import { buildEvent } from '../envelope';
import { EventPublisher } from '../publisher';

let nats: TestNats;
let bus: EventBus;

beforeAll(async () => {
  nats = await startNats();
  bus = await connectEventBus({
    servers: nats.url,
    name: 'publisher-test',
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await bus.nc.close();
  await nats.stop();
});

const id = () => randomBytes(12).toString('hex');

describe('EventPublisher', () => {
  it('publishes an event that carries a secret with its time to live on the stream, others without', async () => {
    const publisher = new EventPublisher(bus.js);
    const reset = buildEvent('password-reset.requested', {
      id: id(),
      version: 0,
      userId: id(),
      email: 'someone@example.test',
      token: randomBytes(32).toString('base64url'),
      expiresAt: new Date(Date.now() + 30 * 60_000).toISOString(),
    });
    const ticket = buildEvent('ticket.created', {
      id: id(),
      version: 0,
      title: 'Gig',
      price: 10,
      userId: id(),
    });
    const resetAck = await publisher.publish(reset);
    const ticketAck = await publisher.publish(ticket);

    expect((await bus.jsm.streams.info(EVENT_STREAM)).config.allow_msg_ttl).toBe(true);
    const storedReset = await bus.jsm.streams.getMessage(EVENT_STREAM, { seq: resetAck.seq });
    expect(storedReset?.header.get('Nats-TTL')).toBe('1h');
    const storedTicket = await bus.jsm.streams.getMessage(EVENT_STREAM, { seq: ticketAck.seq });
    expect(storedTicket?.header.get('Nats-TTL') ?? '').toBe('');
  });

  it('turns message TTLs on for a stream made before them', async () => {
    const info = await bus.jsm.streams.info(EVENT_STREAM);
    await bus.jsm.streams.delete(EVENT_STREAM);
    await bus.jsm.streams.add({ ...info.config, allow_msg_ttl: false });
    expect((await bus.jsm.streams.info(EVENT_STREAM)).config.allow_msg_ttl).toBeFalsy();
    await ensureStream(bus.jsm);
    expect((await bus.jsm.streams.info(EVENT_STREAM)).config.allow_msg_ttl).toBe(true);
  });
});
