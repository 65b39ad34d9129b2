import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { relative } from 'node:path';

/** V8's `.cpuprofile` (what `node --cpu-prof` writes): a call tree and the samples taken. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotFunction {
  /** `name (file:line)`, with the file relative to the repository or `node_modules/<package>`. */
  where: string;
  selfMs: number;
  /** Share of the time this process was busy (idle left out), in %. */
  share: number;
}

export interface ProcessProfile {
  name: string;
  sampledMs: number;
  /** Share of the samples that were not idle (the process's CPU use while profiled), in %. */
  busy: number;
  top: HotFunction[];
  /**
   * The busy time by the part of the code that spent it: each sample is charged to the innermost
   * frame on its stack that belongs to a package or a workspace (Node.js's own code under it,
   * such as the `setHeader` a middleware calls, counts for that middleware's package).
   */
  parts?: HotFunction[];
}

/** The package (`node_modules/<name>` or `<@scope/name>`) or workspace a script belongs to. */
export function partOf(url: string, root: string): string | undefined {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first, second] = path.slice(modules + '/node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : first;
  }
  if (path.startsWith(`${root}/`)) return relative(root, path).split('/')[0];
  return undefined;
}

/** V8's pseudo-frames, shown by name alone (they have no place in the code). */
const PSEUDO = new Set(['(program)', '(garbage collector)']);

function shorten(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  return path.startsWith(root) ? relative(root, path) : path || '(native)';
}

/** The loopback ports a process listens on (from /proc: its sockets' inodes). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const line of readFileSync(`/proc/${pid}/net/tcp`, 'utf8').split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    // local address, state 0A (LISTEN), inode
    if (cols[3] === '0A' && cols[9] && inodes.has(cols[9])) {
      ports.push(parseInt(cols[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/**
 * A process's V8 profiler through its inspector (the process runs with
 * `--inspect=127.0.0.1:0`; its port is found among the ports it listens on). Profiles one
 * window of time, such as one route under load, rather than the process's whole life.
 */
export class Profiler {
  private next = 1;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event: MessageEvent) => {
      const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
      if (message.id !== undefined) this.waiting.get(message.id)?.(message.result);
    });
  }

  static async attach(pid: number): Promise<Profiler> {
    for (const port of listeningPorts(pid)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/json/list`, {
          signal: AbortSignal.timeout(1000),
        });
        const [target] = (await res.json()) as { webSocketDebuggerUrl?: string }[];
        if (!target?.webSocketDebuggerUrl) continue;
        const socket = new WebSocket(target.webSocketDebuggerUrl);
        await new Promise((done, fail) => {
          socket.addEventListener('open', done, { once: true });
          socket.addEventListener('error', fail, { once: true });
        });
        const profiler = new Profiler(socket);
        await profiler.call('Profiler.enable');
        return profiler;
      } catch {
        // not the inspector: the service's own port, or a store's
      }
    }
    throw new Error(`process ${pid} has no inspector (is it running with --inspect?)`);
  }

  private call(method: string, params: object = {}): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.waiting.set(id, (result) => {
        this.waiting.delete(id);
        resolve(result);
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(): Promise<void> {
    await this.call('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    return ((await this.call('Profiler.stop')) as { profile: CpuProfile }).profile;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * A profile's summary in one pass over its samples: the time sampled, the share busy, and the
 * ten heaviest functions by self time (each sample's interval is charged to the function on top
 * of the stack then; closures of the same name and place are summed).
 */
export function summarize(name: string, profile: CpuProfile, root: string): ProcessProfile {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  // Each node's part, found once by walking up from it (samples repeat the same few nodes).
  const partByNode = new Map<number, string>();
  const partFor = (id: number): string => {
    const known = partByNode.get(id);
    if (known !== undefined) return known;
    const frame = byNode.get(id)!;
    const part =
      partOf(frame.url, root) ??
      (PSEUDO.has(frame.functionName)
        ? frame.functionName
        : parent.has(id)
          ? partFor(parent.get(id)!)
          : 'Node.js (no package above it)');
    partByNode.set(id, part);
    return part;
  };
  const parts = new Map<string, number>();
  const self = new Map<string, number>();
  let all = 0;
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    all += us;
    const frame = byNode.get(id);
    if (!frame || frame.functionName === '(idle)') return;
    busy += us;
    const part = partFor(id);
    parts.set(part, (parts.get(part) ?? 0) + us);
    const fn = frame.functionName || '(anonymous)';
    const key = PSEUDO.has(fn) ? fn : `${fn} (${shorten(frame.url, root)}:${frame.lineNumber + 1})`;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  const heaviest = (times: Map<string, number>, n: number): HotFunction[] =>
    [...times.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([where, us]) => ({
        where,
        selfMs: Math.round(us / 100) / 10,
        share: busy ? Math.round((us / busy) * 1000) / 10 : 0,
      }));
  return {
    name,
    sampledMs: Math.round(all / 1000),
    busy: all ? Math.round((busy / all) * 1000) / 10 : 0,
    top: heaviest(self, 10),
    parts: heaviest(parts, 15),
  };
}

export function renderProfiles(profiles: ProcessProfile[]): string {
  const lines = [
    '## CPU profiles (V8 through the inspector, one route under load at a time)',
    '',
    'The ten heaviest functions by self time; shares are of the time the process was busy.',
    '',
  ];
  for (const p of profiles) {
    lines.push(
      `### ${p.name}: ${(p.sampledMs / 1000).toFixed(1)} s sampled, ${p.busy} % busy`,
      '',
      '| function | self ms | share |',
      '| --- | --- | --- |',
      ...p.top.map((f) => `| \`${f.where.replace(/\|/g, '\\|')}\` | ${f.selfMs} | ${f.share} % |`),
      '',
    );
    if (p.parts && p.parts.length > 0) {
      lines.push(
        'By part (each sample charged to the innermost package or workspace on its stack):',
        '',
        '| part | ms | share |',
        '| --- | --- | --- |',
        ...p.parts.map((f) => `| \`${f.where}\` | ${f.selfMs} | ${f.share} % |`),
        '',
      );
    }
  }
  return lines.join('\n');
}
