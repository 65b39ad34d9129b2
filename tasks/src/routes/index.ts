import type { Router } from 'express';
import type { AttachmentStorage } from '../services/storage';
import type { TaskWriteDeps } from '../services/task-writes';
import type { PendingUploads } from '../services/uploads';
import { indexActivityRouter } from './activity/index';
import { confirmAttachmentRouter } from './attachments/confirm';
import { deleteAttachmentRouter } from './attachments/delete';
import { newAttachmentRouter } from './attachments/new';
import { showAttachmentRouter } from './attachments/show';
import { deleteCommentRouter } from './comments/delete';
import { indexCommentRouter } from './comments/index';
import { newCommentRouter } from './comments/new';
import { updateCommentRouter } from './comments/update';
import { showStatsRouter } from './stats/show';
import { deleteTaskRouter } from './tasks/delete';
import { indexTaskRouter } from './tasks/index';
import { newTaskRouter } from './tasks/new';
import { showTaskRouter } from './tasks/show';
import { updateTaskRouter } from './tasks/update';

export interface RouteDeps extends TaskWriteDeps {
  storage: AttachmentStorage;
  uploads: PendingUploads;
}

/** Every router of the tasks API, in the order app.ts mounts them. */
export function tasksRouters(deps: RouteDeps): Router[] {
  const { cache, stats, logger, eventsRecorded, storage, uploads } = deps;
  const writes = { cache, stats, logger, eventsRecorded };
  return [
    // `/api/tasks/stats` before `/api/tasks/:id`, which would take "stats" for an id.
    showStatsRouter({ stats }),
    indexTaskRouter(),
    newTaskRouter(writes),
    showTaskRouter({ cache, logger }),
    updateTaskRouter(writes),
    deleteTaskRouter(writes),
    indexCommentRouter(),
    newCommentRouter({ logger, eventsRecorded }),
    updateCommentRouter({ eventsRecorded }),
    deleteCommentRouter({ eventsRecorded }),
    indexActivityRouter(),
    newAttachmentRouter({ storage, uploads }),
    confirmAttachmentRouter({ ...writes, storage, uploads }),
    showAttachmentRouter({ storage }),
    deleteAttachmentRouter({ ...writes, storage }),
  ];
}
