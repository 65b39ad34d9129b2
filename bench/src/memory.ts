import { readdirSync, readFileSync } from 'node:fs';
import { SERVICES, type ServiceName } from '@taskforge/topology';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ...", and comm may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The stack CLI's descendants, each with its command line. */
function descendantsOf(stackPid: number): Map<number, string> {
  const all = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
  const descendants = new Set([stackPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const pid of all) {
      const parent = parentOf(pid);
      if (!descendants.has(pid) && parent !== undefined && descendants.has(parent)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  const commands = new Map<number, string>();
  for (const pid of descendants) {
    try {
      commands.set(pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // ended meanwhile
    }
  }
  return commands;
}

/** The process of each service under the stack's CLI (`node <service>/build/index.js`). */
export function servicePids(stackPid: number): Partial<Record<ServiceName, number>> {
  const pids: Partial<Record<ServiceName, number>> = {};
  for (const [pid, cmdline] of descendantsOf(stackPid)) {
    for (const service of SERVICES) {
      if (cmdline.includes(`${service.workspace}/build/index.js`)) pids[service.name] = pid;
    }
  }
  return pids;
}

/**
 * The process that proxies the gateway's requests: nginx's worker when the stack runs nginx,
 * else the stack's own process (the Node.js gateway), which an inspector can profile.
 */
export function gatewayProcess(stackPid: number): { pid: number; kind: 'nginx' | 'node' } {
  for (const [pid, cmdline] of descendantsOf(stackPid)) {
    if (cmdline.startsWith('nginx: worker process')) return { pid, kind: 'nginx' };
  }
  return { pid: stackPid, kind: 'node' };
}

/** Resident memory in MiB. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Math.round(Number(match[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Samples every process's RSS while a phase runs and keeps the highest value of each. */
export class MemorySampler<K extends string = ServiceName> {
  private readonly peak: Partial<Record<K, number>> = {};
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: Partial<Record<K, number>>) {}

  snapshot(): Partial<Record<K, number>> {
    const values: Partial<Record<K, number>> = {};
    for (const [service, pid] of Object.entries(this.pids) as [K, number][]) {
      const rss = rssMiB(pid);
      if (rss !== undefined) values[service] = rss;
    }
    return values;
  }

  start(): void {
    this.timer = setInterval(() => {
      for (const [service, rss] of Object.entries(this.snapshot()) as [K, number][]) {
        this.peak[service] = Math.max(this.peak[service] ?? 0, rss);
      }
    }, 250);
  }

  stop(): Partial<Record<K, number>> {
    if (this.timer) clearInterval(this.timer);
    return { ...this.peak };
  }
}
