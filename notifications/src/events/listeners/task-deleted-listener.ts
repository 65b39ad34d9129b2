import { applyVersioned, Listener, type EventData, type HandleResult } from '@taskforge/common';
import { TaskReplica } from '../../replicas/task';
import type { ListenerDeps } from '../listener-deps';

/** The replica keeps a deleted task (for the version gate) but the scan skips it. */
export class TaskDeletedListener extends Listener<'task.deleted'> {
  readonly subject = 'task.deleted' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(data: EventData<'task.deleted'>): Promise<HandleResult> {
    const decision = await applyVersioned(TaskReplica, data, { deleted: true });
    if (decision === 'future') return 'retry';
    await this.deps.notifier.publishBoard('task.deleted', data.teamId, data);
    return 'ack';
  }
}
