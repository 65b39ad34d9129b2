import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import { links, quoted } from '../../services/links';
import { nameOf, sourceOf, type ListenerDeps } from '../listener-deps';
import { applyTaskEvent } from '../../replicas/task';

/** A task created with an assignee tells the assignee; every open board of the team updates. */
export class TaskCreatedListener extends Listener<'task.created'> {
  readonly subject = 'task.created' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(
    data: EventData<'task.created'>,
    context: ListenerContext<'task.created'>,
  ): Promise<HandleResult> {
    const { event } = context;
    if ((await applyTaskEvent(data)) === 'future') return 'retry';
    const actorId = event.metadata.actorId;
    if (data.assigneeId && data.assigneeId !== actorId) {
      const actor = await nameOf(actorId);
      await this.deps.notifier.notify(sourceOf(context), [
        {
          recipientId: data.assigneeId,
          kind: 'task.assigned',
          title: `${actor} assigned you ${quoted(data.title)}`,
          actorName: actor,
          link: links.task(data.teamId, data.id),
          teamId: data.teamId,
          taskId: data.id,
        },
      ]);
    }
    await this.deps.notifier.publishBoard('task.created', data.teamId, data);
    return 'ack';
  }
}
