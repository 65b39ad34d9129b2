import { resolve } from 'node:path';
import {
  buildEvent,
  connectEventBus,
  createLogger,
  EventPublisher,
  type EventBus,
} from '@taskforge/common';
import {
  startMongo,
  startNats,
  startServiceProcess,
  testKeys,
  waitFor,
  type ServiceProcess,
  type TestMongo,
  type TestNats,
} from '@taskforge/common/testing';
import { buildTask, buildUser, signIn } from '../test/factories';
import { startSmtpServer, type TestSmtp } from '../test/smtp';
import { openStream } from '../test/sse';

let mongo: TestMongo;
let nats: TestNats;
let smtp: TestSmtp;
let bus: EventBus;
let service: ServiceProcess;

beforeAll(async () => {
  [mongo, nats, smtp] = await Promise.all([startMongo(), startNats(), startSmtpServer()]);
  service = await startServiceProcess({
    cwd: resolve(__dirname, '..', '..'),
    env: {
      MONGO_URL: mongo.uri,
      NATS_URL: nats.url,
      SMTP_URL: smtp.url,
      JWT_PUBLIC_KEY: testKeys().publicKey,
      // A send that fails for a passing reason (the recipient not replicated yet on a busy
      // machine) is retried soon rather than after the 30 s default.
      EMAIL_BACKOFF_MS: '500',
    },
  });
  bus = await connectEventBus({
    servers: nats.url,
    name: 'notifications-process-test',
    logger: createLogger('test', { NODE_ENV: 'test' }),
  });
});

afterAll(async () => {
  await service.stop('SIGKILL');
  await bus.nc.close();
  await Promise.all([mongo.stop(), nats.stop(), smtp.close()]);
});

describe('the notifications process (src/index.ts on runMongoService with parts)', () => {
  it('notifies live and by email, then stops on SIGTERM with a stream still open', async () => {
    const assignee = signIn();
    const user = buildUser({ id: assignee.id });
    const publisher = new EventPublisher(bus.js);
    await publisher.publish(buildEvent('user.created', user));

    const stream = await openStream(service.url, { Cookie: assignee.cookie });
    expect(stream.status).toBe(200);
    const task = buildTask({ assigneeId: assignee.id, title: 'Ship the process test' });
    await publisher.publish(buildEvent('task.created', task, { actorId: task.creatorId }));

    const live = await stream.client!.next((m) => m.event === 'notification');
    expect(JSON.parse(live.data)).toMatchObject({ taskId: task.id });
    await waitFor(() => smtp.received.find((mail) => mail.subject?.includes(task.title)), {
      timeoutMs: 45_000,
    });

    const ended = new Promise((done) => stream.client!.response.once('end', done));
    const stopped = service.stop('SIGTERM');
    // The open stream is ended by the shutdown instead of holding it until the drain timeout.
    await ended;
    expect(await stopped).toBe(0);
  }, 90_000);
});
