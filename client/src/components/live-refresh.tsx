'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { useLiveEvent } from './live';

/** Re-renders the page's server data when the team's board changes (at most once a second). */
export function LiveRefresh({ teamId }: { teamId: string }) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const onChange = (data: unknown) => {
    if ((data as { teamId?: string }).teamId !== teamId || timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      router.refresh();
    }, 1000);
  };
  useLiveEvent('task.created', onChange);
  useLiveEvent('task.updated', onChange);
  useLiveEvent('task.deleted', onChange);
  return null;
}
