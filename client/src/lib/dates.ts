import type { Task } from './types';

/*
 * Due dates are calendar days. The client stores one as the last millisecond of that day in
 * UTC and shows it in UTC, so the server-rendered page and the browser agree on the day
 * whatever their time zones; a task is overdue once that moment has passed, which is also what
 * tasks' `overdue` filter and statistics count.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` (a date input's value) → the ISO time sent to tasks; empty → null. */
export function dueDateFromInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T23:59:59.999Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A stored due date → a date input's value. */
export function dueDateToInput(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

export function isOverdue(task: Pick<Task, 'dueDate' | 'status'>, now: Date): boolean {
  return task.dueDate !== null && task.status !== 'done' && new Date(task.dueDate) < now;
}

const dayFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const dayYearFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "today", "tomorrow", "yesterday", "24 Nov", "24 Nov 2027" (another year). */
export function formatDay(iso: string, now: Date): string {
  const date = new Date(iso);
  const days = Math.round((utcDay(date) - utcDay(now)) / DAY_MS);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days === -1) return 'yesterday';
  return date.getUTCFullYear() === now.getUTCFullYear()
    ? dayFormat.format(date)
    : dayYearFormat.format(date);
}

/** The label of a card's due date: "Due 24 Nov", or "Overdue · due yesterday". */
export function dueLabel(task: Pick<Task, 'dueDate' | 'status'>, now: Date): string | null {
  if (!task.dueDate) return null;
  const day = formatDay(task.dueDate, now);
  return isOverdue(task, now) ? `Overdue · due ${day}` : `Due ${day}`;
}

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

/** A duration for people: "45 min", "5 h", "3.5 days". */
export function formatDuration(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.max(1, Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.round(hours * 10) / 10} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", then the date. */
export function formatRelative(iso: string, now: Date): string {
  const ms = now.getTime() - new Date(iso).getTime();
  if (ms < 60_000) return 'just now';
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ago`;
  if (ms < DAY_MS) return `${Math.floor(ms / 3_600_000)} h ago`;
  if (ms < 7 * DAY_MS) return `${Math.floor(ms / DAY_MS)} days ago`;
  return formatDay(iso, now);
}
