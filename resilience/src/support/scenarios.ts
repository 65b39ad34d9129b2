import { readEvents, startNats, waitFor, type ServiceProcess } from '@taskforge/common/testing';
import { inBatches } from '@taskforge/bench/seed';
import mongoose from 'mongoose';
import { consumerSettled, eventBus, newId, publisherOf } from './events';
import { call, user } from './http';
import { DEFAULT_ROLE_PERMISSIONS } from './permissions';
import { databaseUrl, startService } from './services';

const mongoBase = () => process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

/** The bounds of the crash scenario's waits, which its Jest timeout adds up. */
const CRASH_WAITS_MS = {
  /** A start of notifications (readyz). */
  start: 60_000,
  /** Until the share of the burst that comes before a kill is stored. */
  beforeKill: 60_000,
  /** Until the whole burst is stored, after the last start. */
  rest: 90_000,
  /** Until the consumer has nothing pending or unacknowledged. */
  settle: 60_000,
};

/**
 * notifications, the real process, consumes a burst of task.created events (each one
 * notification) and is killed with SIGKILL `kills` times along the way, each time started again.
 * Returns the notifications per task and the task replica's count, for the test to judge.
 * Every wait is bounded so that the whole stays within `crashTestTimeoutMs(kills)`: a wait
 * outliving Jest's timeout would leave the service running and Jest waiting on it.
 */
export function crashTestTimeoutMs(kills: number): number {
  const { start, beforeKill, rest, settle } = CRASH_WAITS_MS;
  // 30 s more for the publishing and the counting around the waits.
  return (kills + 1) * start + kills * beforeKill + rest + settle + 30_000;
}

export async function killConsumerDuringBurst(options: { burst: number; kills: number }) {
  const nats = await startNats();
  const bus = await eventBus(nats.url);
  const mongoUrl = databaseUrl(mongoBase(), 'crash');
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  const env = { MONGO_URL: mongoUrl, NATS_URL: nats.url };
  let service: ServiceProcess | undefined;
  try {
    service = await startService('notifications', env, CRASH_WAITS_MS.start);
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
    const taskIds = Array.from({ length: options.burst }, () => newId());
    await inBatches(taskIds, 32, (id, i) =>
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
    );
    const notifications = db.collection('notifications');
    const countsAtKill: number[] = [];
    for (let kill = 1; kill <= options.kills; kill += 1) {
      const threshold = (options.burst * kill) / (options.kills + 1);
      await waitFor(async () => (await notifications.countDocuments()) >= threshold, {
        timeoutMs: CRASH_WAITS_MS.beforeKill,
      });
      await service.stop('SIGKILL');
      countsAtKill.push(await notifications.countDocuments());
      service = await startService('notifications', env, CRASH_WAITS_MS.start);
    }
    await waitFor(async () => (await notifications.countDocuments()) >= options.burst, {
      timeoutMs: CRASH_WAITS_MS.rest,
    });
    await consumerSettled(bus, 'notifications', CRASH_WAITS_MS.settle);
    const perTask = await notifications
      .aggregate<{ _id: string; count: number }>([
        { $match: { recipientId: assigneeId } },
        { $group: { _id: '$taskId', count: { $sum: 1 } } },
      ])
      .toArray();
    return {
      taskIds,
      perTask,
      countsAtKill,
      replicaCount: await db.collection('tasks').countDocuments({ teamId, version: 0 }),
    };
  } finally {
    await service?.stop('SIGKILL');
    await bus.close();
    await db.dropDatabase().catch(() => undefined);
    await db.close();
    await nats.stop();
  }
}

/**
 * tickets (MongoDB outbox) and teams (PostgreSQL outbox), the real processes, take writes while
 * nats-server is restarted `restarts` times under them. Returns what was acknowledged and what
 * reached the stream, and how many events are still waiting in the outboxes.
 */
export async function restartNatsDuringWrites(options: {
  writes: number;
  restarts: number;
  teams: boolean;
  teamsDatabaseUrl?: string;
}) {
  const nats = await startNats();
  const mongoUrl = databaseUrl(mongoBase(), 'natsrestart');
  const db = await mongoose.createConnection(mongoUrl).asPromise();
  const processes: ServiceProcess[] = [];
  try {
    const tickets = await startService('tickets', { MONGO_URL: mongoUrl, NATS_URL: nats.url });
    processes.push(tickets);
    const teams =
      options.teams && options.teamsDatabaseUrl
        ? await startService('teams', {
            DATABASE_URL: options.teamsDatabaseUrl,
            NATS_URL: nats.url,
          })
        : undefined;
    if (teams) processes.push(teams);
    const person = user();
    const restartAt = new Set(
      Array.from({ length: options.restarts }, (_, k) =>
        Math.floor((options.writes * (k + 1)) / (options.restarts + 1)),
      ),
    );
    let restarting: Promise<void> = Promise.resolve();
    const acknowledged = { tickets: [] as string[], teams: [] as string[] };
    await inBatches(
      Array.from({ length: options.writes }, (_, i) => i),
      5,
      async (i) => {
        if (restartAt.has(i)) restarting = restarting.then(() => nats.restart());
        const toTeams = teams && i % 2 === 1;
        const res = toTeams
          ? await call<{ id: string }>(teams.url, 'POST', '/api/teams', {
              cookie: person.cookie,
              body: { name: `During the restart ${i}` },
            })
          : await call<{ id: string }>(tickets.url, 'POST', '/api/tickets', {
              cookie: person.cookie,
              body: { title: `During the restart ${i}`, price: 10 + i },
            });
        if (res.status === 201) acknowledged[toTeams ? 'teams' : 'tickets'].push(res.body.id);
      },
    );
    await restarting;
    const wanted = acknowledged.tickets.length + acknowledged.teams.length;
    const published = await waitFor(
      async () => {
        const events = (await readEvents(nats.url)).filter(
          (e) => e.subject === 'ticket.created' || e.subject === 'team.created',
        );
        return events.length >= wanted ? events : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    await waitFor(
      async () =>
        (await db.collection('tickets').countDocuments({ 'outbox.0': { $exists: true } })) === 0,
      { timeoutMs: 60_000 },
    );
    return {
      acknowledged,
      published: {
        tickets: published
          .filter((e) => e.subject === 'ticket.created')
          .map((e) => (e.data as { id: string }).id),
        teams: published
          .filter((e) => e.subject === 'team.created')
          .map((e) => (e.data as { id: string }).id),
      },
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await db.dropDatabase().catch(() => undefined);
    await db.close();
    await nats.stop();
  }
}
