import type { Router } from 'express';
import type { StreamHub } from '../live/stream-hub';
import type { Inbox } from '../services/inbox';
import { indexNotificationRouter } from './notifications/index';
import { readNotificationRouter } from './notifications/read';
import { readAllNotificationsRouter } from './notifications/read-all';
import { streamRouter } from './notifications/stream';
import { unreadCountRouter } from './notifications/unread-count';

export interface RouteDeps {
  inbox: Inbox;
  hub: StreamHub;
}

/** Every router of the notifications API: the one list app.ts mounts. */
export function notificationsRouters({ inbox, hub }: RouteDeps): Router[] {
  return [
    streamRouter({ hub }),
    unreadCountRouter({ inbox }),
    readAllNotificationsRouter({ inbox }),
    readNotificationRouter({ inbox }),
    indexNotificationRouter(),
  ];
}
