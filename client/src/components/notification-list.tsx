'use client';

import Link from 'next/link';
import { useState } from 'react';
import { api } from '../lib/http';
import type { Notification } from '../lib/types';
import { useLiveEvent } from './live';
import { LocalTime } from './local-time';
import { linkOf } from './notification-bell';

/** The inbox: newest first, new ones arrive live on the first page. */
export function NotificationList({
  initialItems,
  unreadOnly,
  nextCursor,
  live,
}: {
  initialItems: Notification[];
  unreadOnly: boolean;
  nextCursor: string | undefined;
  live: boolean;
}) {
  const [items, setItems] = useState(initialItems);
  useLiveEvent('notification', (data) => {
    if (!live) return;
    const item = data as Notification;
    setItems((current) => [item, ...current.filter((n) => n.id !== item.id)]);
  });

  async function markRead(item: Notification) {
    const updated = await api<Notification>(
      `/api/notifications/${encodeURIComponent(item.id)}/read`,
      { method: 'POST' },
    );
    setItems((current) =>
      unreadOnly
        ? current.filter((n) => n.id !== item.id)
        : current.map((n) => (n.id === item.id ? updated : n)),
    );
  }

  async function markAllRead() {
    await api('/api/notifications/read-all', { method: 'POST' });
    setItems((current) => (unreadOnly ? [] : current.map((n) => ({ ...n, read: true }))));
  }

  return (
    <>
      <div className="page-head">
        <h1>Notifications</h1>
        <div className="button-row">
          <Link
            className="button"
            href={unreadOnly ? '/notifications' : '/notifications?unread=true'}
          >
            {unreadOnly ? 'Show all' : 'Unread only'}
          </Link>
          <button type="button" onClick={() => void markAllRead().catch(() => undefined)}>
            Mark all read
          </button>
        </div>
      </div>
      {items.length === 0 ? (
        <p className="empty">
          {unreadOnly
            ? 'All caught up.'
            : 'No notifications yet. Assignments, comments and mentions will show up here.'}
        </p>
      ) : (
        <ul className="list" data-testid="notifications">
          {items.map((item) => (
            <li key={item.id} className={`card notification${item.read ? '' : ' unread'}`}>
              <div className="grow">
                <Link href={linkOf(item)}>{item.title}</Link>
                <div className="small muted">
                  <LocalTime iso={item.createdAt} relative />
                  {!item.read && ' · unread'}
                </div>
              </div>
              {!item.read && (
                <button type="button" onClick={() => void markRead(item).catch(() => undefined)}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {nextCursor && (
        <nav className="pager" aria-label="Pages">
          <Link
            className="button"
            href={`/notifications?${new URLSearchParams({ ...(unreadOnly ? { unread: 'true' } : {}), cursor: nextCursor })}`}
          >
            Older
          </Link>
        </nav>
      )}
    </>
  );
}
