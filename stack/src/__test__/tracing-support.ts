import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiSession } from '../api-session';
import { verifyEmails } from '../email-verification';

/*
 * What the tests of --tracing share, whichever trace server the stack runs: the assignment they
 * follow, and where a process listens.
 */

/** tasks' route name for the assignment, the name of its server span. */
export const ASSIGNMENT = 'PATCH /api/tasks/:id';

/**
 * Through the gateway: an owner makes a team with a verified member, a task, and assigns it to
 * the member, which tasks records with a task.updated event that notifications handles.
 */
export async function assignTask(url: string, natsUrl: string): Promise<void> {
  const owner = new ApiSession(url);
  await owner.expect(
    'POST',
    '/api/users/signup',
    { email: 'tracing-owner@taskforge.test', password: 'tracing-owner-password' },
    201,
  );
  const assignee = new ApiSession(url);
  const member = await assignee.expect<{ id: string }>(
    'POST',
    '/api/users/signup',
    { email: 'tracing-member@taskforge.test', password: 'tracing-member-password' },
    201,
  );
  // Only a verified address can be added to a team by email.
  await verifyEmails(url, natsUrl, [member.id]);
  const team = await owner.expect<{ id: string }>('POST', '/api/teams', { name: 'Traced' }, 201);
  await owner.expect(
    'POST',
    `/api/teams/${team.id}/members`,
    { email: 'tracing-member@taskforge.test', role: 'member' },
    201,
  );
  const task = await owner.expect<{ id: string }>(
    'POST',
    '/api/tasks',
    { teamId: team.id, title: 'Follow me' },
    201,
  );
  // 400 until tasks' replica of the team has the new member.
  let assigned = await owner.call('PATCH', `/api/tasks/${task.id}`, { assigneeId: member.id });
  for (const started = Date.now(); assigned.status === 400 && Date.now() - started < 10_000;) {
    await sleep(200);
    assigned = await owner.call('PATCH', `/api/tasks/${task.id}`, { assigneeId: member.id });
  }
  expect(assigned.status).toBe(200);
}

/** The addresses (hex, as /proc/net/tcp writes them) of the TCP sockets `pid` listens on. */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]];
      } catch {
        return [];
      }
    }),
  );
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // local address, state 0A (LISTEN), inode
      .filter((cols) => cols[3] === '0A' && inodes.has(cols[9]))
      .map((cols) => cols[1]!.split(':')[0]!),
  );
}
