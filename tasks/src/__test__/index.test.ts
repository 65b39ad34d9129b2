import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { buildEvent, connectEventBus, createLogger, EventPublisher } from '@taskforge/common';
import {
  readEvents,
  startMongo,
  startNats,
  startServiceProcess,
  testKeys,
  waitFor,
  type ServiceProcess,
  type TestMongo,
  type TestNats,
} from '@taskforge/common/testing';
import request from 'supertest';
import { DEFAULT_PERMISSIONS, newId, signIn } from '../test/factories';

let mongo: TestMongo;
let nats: TestNats;
let service: ServiceProcess;

beforeAll(async () => {
  [mongo, nats] = await Promise.all([startMongo(), startNats()]);
  service = await startServiceProcess({
    cwd: resolve(__dirname, '..', '..'),
    env: {
      MONGO_URL: mongo.uri,
      NATS_URL: nats.url,
      JWT_PUBLIC_KEY: testKeys().publicKey,
      // A bucket of this file's own: the process must create it at start-up.
      S3_BUCKET: `process-${randomBytes(4).toString('hex')}`,
    },
  });
});

afterAll(async () => {
  await service.stop('SIGKILL');
  await Promise.all([mongo.stop(), nats.stop()]);
});

describe('the tasks process (src/index.ts on runMongoService with parts)', () => {
  it('learns the team from the stream, serves tasks, publishes, and stops on SIGTERM', async () => {
    const admin = signIn();
    const teamId = newId();
    const bus = await connectEventBus({
      servers: nats.url,
      name: 'tasks-process-test',
      logger: createLogger('test', { NODE_ENV: 'test' }),
    });
    const publisher = new EventPublisher(bus.js);
    const team = { id: teamId, version: 0, name: 'Live', createdBy: admin.id };
    await publisher.publish(
      buildEvent('team.created', { ...team, permissions: DEFAULT_PERMISSIONS }),
    );
    await publisher.publish(
      buildEvent('member.added', { teamId, userId: admin.id, role: 'admin', version: 0 }),
    );
    await bus.nc.close();

    // 404 until the membership has arrived through the durable consumer.
    const created = await waitFor(async () => {
      const res = await request(service.url)
        .post('/api/tasks')
        .set('Cookie', admin.cookie)
        .send({ teamId, title: 'Runs as a process' });
      return res.status === 201 ? res : undefined;
    });
    const events = await waitFor(async () => {
      const found = (await readEvents(nats.url, 'task.created')).filter(
        (e) => (e.data as { id: string }).id === created.body.id,
      );
      return found.length > 0 ? found : undefined;
    });
    expect(events[0]?.data).toMatchObject({ teamId, creatorId: admin.id, version: 0 });

    expect(await service.stop('SIGTERM')).toBe(0);
  }, 60_000);
});
