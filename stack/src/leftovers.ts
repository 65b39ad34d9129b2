import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A process the stack started: its pid, and when it started (clock ticks since boot, from
 * `/proc/<pid>/stat`), which tells it from another process that got the pid since. Its command
 * line would not: Next.js renames its process.
 */
export interface StartedProcess {
  name: string;
  pid: number;
  startedAt: string;
}

/** What `stack.json` holds while a stack runs. */
export interface StackState {
  pid: number;
  url: string;
  processes?: StartedProcess[];
}

/** When a running process started (empty when it is gone or not ours to read). */
function startTimeOf(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name (field 2) may hold spaces and parentheses; field 22, the start time, is the
    // 20th after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

/** The same process as recorded, not another that got its pid since (after a reboot, say). */
function stillRunning(started: StartedProcess): boolean {
  return started.startedAt !== '' && startTimeOf(started.pid) === started.startedAt;
}

/** How a started process is recorded: its pid and its start time. */
export function recordOf(name: string, pid: number | undefined): StartedProcess | undefined {
  if (pid === undefined) return undefined;
  return { name, pid, startedAt: startTimeOf(pid) };
}

/**
 * Stops what a stack that did not stop left running (it was killed, or crashed): SIGTERM, so
 * each drains and closes its stores as on Ctrl-C, then SIGKILL after `graceMs`. Returns the
 * names of those it found.
 */
export async function stopLeftovers(state: StackState, graceMs = 15_000): Promise<string[]> {
  const left = (state.processes ?? []).filter(stillRunning);
  for (const started of left) {
    try {
      process.kill(started.pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
  }
  const deadline = Date.now() + graceMs;
  while (left.some(stillRunning) && Date.now() < deadline) await sleep(100);
  for (const started of left.filter(stillRunning)) {
    try {
      process.kill(started.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return left.map((started) => started.name);
}
