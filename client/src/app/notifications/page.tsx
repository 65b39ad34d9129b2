import type { Metadata } from 'next';
import { NotificationList } from '../../components/notification-list';
import { load, nextCursor, requireUser } from '../../lib/server-api';
import type { Notification } from '../../lib/types';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage({ searchParams }: PageProps<'/notifications'>) {
  const params = await searchParams;
  const unreadOnly = params.unread === 'true';
  const cursor = typeof params.cursor === 'string' ? params.cursor : undefined;
  const path = `/notifications${unreadOnly ? '?unread=true' : ''}`;
  await requireUser(path);
  const query = new URLSearchParams({ limit: '30' });
  if (unreadOnly) query.set('unread', 'true');
  if (cursor) query.set('cursor', cursor);
  const res = await load<Notification[]>(`/api/notifications?${query}`, path);
  return (
    <main id="main">
      <NotificationList
        key={`${unreadOnly}:${cursor ?? ''}`}
        initialItems={res.body}
        unreadOnly={unreadOnly}
        nextCursor={nextCursor(res)}
        live={!cursor}
      />
    </main>
  );
}
