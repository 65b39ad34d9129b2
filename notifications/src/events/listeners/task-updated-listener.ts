import {
  Listener,
  type EventData,
  type HandleResult,
  type ListenerContext,
} from '@taskforge/common';
import type { NotificationDraft } from '../../services/notifier';
import { links, quoted } from '../../services/links';
import { nameOf, sourceOf, type ListenerDeps } from '../listener-deps';
import { applyTaskEvent, STATUS_LABELS } from '../../replicas/task';

/**
 * A new assignee is told they were assigned; a status change is told to the creator and the
 * assignee. Never the actor, and one notification per person (being assigned says more).
 */
export class TaskUpdatedListener extends Listener<'task.updated'> {
  readonly subject = 'task.updated' as const;

  constructor(private readonly deps: ListenerDeps) {
    super();
  }

  async onMessage(
    data: EventData<'task.updated'>,
    context: ListenerContext<'task.updated'>,
  ): Promise<HandleResult> {
    const { event } = context;
    if ((await applyTaskEvent(data)) === 'future') return 'retry';
    const actorId = event.metadata.actorId;
    const link = links.task(data.teamId, data.id);
    const about = { link, teamId: data.teamId, taskId: data.id };
    const drafts: NotificationDraft[] = [];
    const assigned = Boolean(data.changes.assigneeId && data.assigneeId);
    const actorName = assigned || data.changes.status ? await nameOf(actorId) : undefined;

    if (assigned && data.assigneeId) {
      drafts.push({
        ...about,
        recipientId: data.assigneeId,
        kind: 'task.assigned',
        title: `${actorName} assigned you ${quoted(data.title)}`,
        actorName,
      });
    }
    if (data.changes.status) {
      const title = `${actorName} moved ${quoted(data.title)} to ${STATUS_LABELS[data.status]}`;
      for (const recipientId of [data.creatorId, data.assigneeId]) {
        if (recipientId) {
          drafts.push({ ...about, recipientId, kind: 'task.status_changed', title, actorName });
        }
      }
    }
    await this.deps.notifier.notify(sourceOf(context), drafts);
    await this.deps.notifier.publishBoard('task.updated', data.teamId, data);
    return 'ack';
  }
}
