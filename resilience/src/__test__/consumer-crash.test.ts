import { startNats, waitFor, type ServiceProcess, type TestNats } from '@taskforge/common/testing';
import mongoose from 'mongoose';
import { consumerSettled, eventBus, newId, publisherOf } from '../support/events';
import { DEFAULT_ROLE_PERMISSIONS } from '../support/permissions';
import { databaseUrl, startService } from '../support/services';

/*
 * notifications, the real process, consumes a burst of task.created events (each one
 * notification), is killed with SIGKILL half-way, and is started again: the durable consumer
 * redelivers what was not acked, and the inbox holds every notification exactly once.
 */
const BURST = 300;
let nats: TestNats;
let bus: Awaited<ReturnType<typeof eventBus>>;
let db: mongoose.Connection;
let mongoUrl: string;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  nats = await startNats();
  bus = await eventBus(nats.url);
  mongoUrl = databaseUrl(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', 'crash');
  db = await mongoose.createConnection(mongoUrl).asPromise();
});
afterAll(async () => {
  await service?.stop('SIGKILL');
  await bus.close();
  await db.dropDatabase().catch(() => undefined);
  await db.close();
  await nats.stop();
});

it('applies every event exactly once when the consumer is killed mid-burst and restarted', async () => {
  const env = { MONGO_URL: mongoUrl, NATS_URL: nats.url };
  service = await startService('notifications', env);
  const publish = publisherOf(bus);
  const teamId = newId();
  const actorId = newId();
  const assigneeId = newId();
  await publish('team.created', {
    id: teamId,
    version: 0,
    name: 'Crash team',
    createdBy: actorId,
    permissions: DEFAULT_ROLE_PERMISSIONS,
  });
  const taskIds = Array.from({ length: BURST }, () => newId());
  await Promise.all(
    taskIds.map((id, i) =>
      publish(
        'task.created',
        {
          id,
          version: 0,
          teamId,
          title: `Burst ${i}`,
          status: 'todo',
          priority: 'medium',
          assigneeId,
          creatorId: actorId,
        },
        actorId,
      ),
    ),
  );
  const notifications = db.collection('notifications');
  await waitFor(async () => (await notifications.countDocuments()) >= BURST / 4, {
    timeoutMs: 60_000,
  });

  expect(await service.stop('SIGKILL')).toBeNull();
  const whenKilled = await notifications.countDocuments();
  expect(whenKilled).toBeLessThan(BURST);

  service = await startService('notifications', env);
  await waitFor(async () => (await notifications.countDocuments()) >= BURST, { timeoutMs: 90_000 });
  await consumerSettled(bus, 'notifications');

  const perTask = await notifications
    .aggregate<{ _id: string; count: number }>([
      { $match: { recipientId: assigneeId } },
      { $group: { _id: '$taskId', count: { $sum: 1 } } },
    ])
    .toArray();
  expect(perTask).toHaveLength(BURST);
  expect(perTask.every((group) => group.count === 1)).toBe(true);
  expect(new Set(perTask.map((g) => g._id))).toEqual(new Set(taskIds));
  // The task replica too: every task once, at its version.
  expect(await db.collection('tasks').countDocuments({ teamId, version: 0 })).toBe(BURST);
});
