'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/http';
import { safeHref } from '../lib/markdown';
import type { Notification } from '../lib/types';
import { useLiveConnected, useLiveEvent } from './live';
import { LocalTime } from './local-time';

/** Where a notification leads: a path in this app (anything else goes to the inbox). */
export function linkOf(item: Notification): string {
  const href = safeHref(item.link);
  return href?.startsWith('/') ? href : '/notifications';
}

/** The header's bell: the unread count, live, and the latest notifications in a dropdown. */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const router = useRouter();
  const connected = useLiveConnected();
  const [unread, setUnread] = useState(initialUnread);
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<Notification[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const wrapper = useRef<HTMLDivElement>(null);

  useLiveEvent('unread-count', (data) => {
    const count = (data as { count?: unknown }).count;
    if (typeof count === 'number') setUnread(count);
  });
  useLiveEvent('notification', (data) => {
    const item = data as Notification;
    setItems((current) =>
      current ? [item, ...current.filter((n) => n.id !== item.id)].slice(0, 8) : current,
    );
    setAnnouncement(`New notification: ${item.title}`);
  });

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !wrapper.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  async function toggle() {
    const next = !open;
    setOpen(next);
    if (next) {
      try {
        setItems(await api<Notification[]>('/api/notifications?limit=8'));
        setFailed(false);
      } catch {
        setFailed(true);
      }
    }
  }

  async function openItem(item: Notification) {
    setOpen(false);
    if (!item.read) {
      await api(`/api/notifications/${encodeURIComponent(item.id)}/read`, { method: 'POST' }).catch(
        () => undefined,
      );
    }
    router.push(linkOf(item));
  }

  async function readAll() {
    const result = await api<{ unreadCount: number }>('/api/notifications/read-all', {
      method: 'POST',
    });
    setUnread(result.unreadCount);
    setItems((current) => current?.map((n) => ({ ...n, read: true })) ?? null);
  }

  const label = unread === 1 ? '1 unread notification' : `${unread} unread notifications`;
  return (
    <div className="menu-wrap" ref={wrapper}>
      <button
        type="button"
        className="bell"
        aria-expanded={open}
        aria-controls="notification-dropdown"
        aria-label={`Notifications, ${label}`}
        data-live={connected ? 'connected' : 'connecting'}
        onClick={() => void toggle()}
      >
        <svg
          width="20"
          height="20"
          viewBox="0 0 24 24"
          aria-hidden="true"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" data-testid="unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {announcement}
      </span>
      {open && (
        <div
          id="notification-dropdown"
          className="dropdown"
          role="region"
          aria-label="Latest notifications"
        >
          <div className="button-row spread">
            <strong>Notifications</strong>
            {unread > 0 && (
              <button type="button" className="link" onClick={() => void readAll()}>
                Mark all read
              </button>
            )}
          </div>
          {failed && <p className="field-error">Could not load notifications.</p>}
          {!failed && items === null && (
            <div className="skeleton" aria-label="Loading notifications" />
          )}
          {items?.length === 0 && (
            <p className="muted">Nothing yet. You will hear about your tasks here.</p>
          )}
          {items && items.length > 0 && (
            <ul className="list compact">
              {items.map((item) => (
                <li key={item.id} className={item.read ? 'notification' : 'notification unread'}>
                  <div>
                    <a
                      href={linkOf(item)}
                      onClick={(event) => {
                        event.preventDefault();
                        void openItem(item);
                      }}
                    >
                      {item.title}
                    </a>
                    <div className="small muted">
                      <LocalTime iso={item.createdAt} relative />
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
          <p className="dropdown-footer">
            <Link href="/notifications" onClick={() => setOpen(false)}>
              All notifications
            </Link>
          </p>
        </div>
      )}
    </div>
  );
}
