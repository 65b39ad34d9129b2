'use client';

import { useSyncExternalStore } from 'react';
import { formatRelative } from '../lib/dates';

const subscribe = () => () => undefined;

/** True in the browser after hydration; false while rendering on the server. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

const utc = new Intl.DateTimeFormat('en-GB', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/**
 * A moment in the reader's own time zone. The server does not know it, so the first render
 * shows UTC, and the browser switches to local time once hydrated (no mismatch warning).
 */
export function LocalTime({ iso, relative = false }: { iso: string; relative?: boolean }) {
  const hydrated = useHydrated();
  const date = new Date(iso);
  const absolute = hydrated
    ? date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
    : `${utc.format(date)} UTC`;
  return (
    <time dateTime={iso} title={absolute}>
      {relative && hydrated ? formatRelative(iso, new Date()) : absolute}
    </time>
  );
}
