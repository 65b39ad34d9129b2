import { crashTestTimeoutMs, killConsumerDuringBurst } from '../support/scenarios';

/*
 * notifications, the real process, consumes a burst of task.created events (each one
 * notification), is killed with SIGKILL half-way, and is started again: the durable consumer
 * redelivers what was not acked, and the inbox holds every notification exactly once.
 * (npm run chaos runs a longer burst with several kills.)
 */
it(
  'applies every event exactly once when the consumer is killed mid-burst and restarted',
  async () => {
    const burst = 300;
    const result = await killConsumerDuringBurst({ burst, kills: 1 });

    expect(result.countsAtKill[0]).toBeLessThan(burst);
    expect(result.perTask).toHaveLength(burst);
    expect(result.perTask.every((group) => group.count === 1)).toBe(true);
    expect(new Set(result.perTask.map((g) => g._id))).toEqual(new Set(result.taskIds));
    expect(result.replicaCount).toBe(burst);
  },
  crashTestTimeoutMs(1),
);
