'use client';

import { useRouter } from 'next/navigation';
import {
  createContext,
  useContext,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

/** The events of `/api/notifications/stream` the client listens to. */
export const LIVE_EVENTS = [
  'notification',
  'unread-count',
  'task.created',
  'task.updated',
  'task.deleted',
  'comment.created',
  'resync',
] as const;
export type LiveEvent = (typeof LIVE_EVENTS)[number];
type Handler = (data: unknown) => void;

interface Live {
  subscribe: (event: LiveEvent, handler: Handler) => () => void;
  connected: boolean;
}

const LiveContext = createContext<Live | null>(null);

/**
 * One EventSource per page for everything live: the bell, the notifications page, the open board
 * and dashboard subscribe to it. The browser reconnects by itself and sends Last-Event-ID, so the
 * stream replays what was missed meanwhile; `resync` (too much missed) reloads the page's data.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const handlers = useRef(new Map<LiveEvent, Set<Handler>>());
  const [connected, setConnected] = useState(false);
  const onResync = useEffectEvent(() => router.refresh());

  useEffect(() => {
    const source = new EventSource('/api/notifications/stream');
    const registry = handlers.current;
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(source.readyState === EventSource.OPEN);
    for (const event of LIVE_EVENTS) {
      source.addEventListener(event, (message: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        if (event === 'resync') onResync();
        for (const handler of registry.get(event) ?? []) handler(data);
      });
    }
    return () => source.close();
  }, []);

  const live = useMemo<Live>(
    () => ({
      connected,
      subscribe(event, handler) {
        const set = handlers.current.get(event) ?? new Set<Handler>();
        set.add(handler);
        handlers.current.set(event, set);
        return () => {
          set.delete(handler);
        };
      },
    }),
    [connected],
  );

  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>;
}

/** Whether the stream is open (false when signed out: there is no stream then). */
export function useLiveConnected(): boolean {
  return useContext(LiveContext)?.connected ?? false;
}

/** Calls `handler` with each message of `event` while the component is mounted. */
export function useLiveEvent(event: LiveEvent, handler: (data: unknown) => void): void {
  const live = useContext(LiveContext);
  const onMessage = useEffectEvent(handler);
  const subscribe = live?.subscribe;
  useEffect(() => subscribe?.(event, (data) => onMessage(data)), [subscribe, event]);
}
