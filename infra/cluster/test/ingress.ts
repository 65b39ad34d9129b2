import { execFile } from 'node:child_process';
import { request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

/**
 * The cluster from outside, as a browser and an operator meet it: HTTP to the ingress on its
 * loopback port with the suite's host name (`Host: taskforge.test`, exactly, so that presigned
 * URLs keep their signature), and kubectl against the API server.
 */
export const INGRESS_PORT = Number(process.env.TF_CLUSTER_INGRESS_PORT ?? 18080);
export const HOST = 'taskforge.test';
export const BASE_URL = `http://${HOST}`;

export interface Reply<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: T;
}

interface SendOptions {
  headers?: Record<string, string>;
  body?: Buffer | string;
  timeoutMs?: number;
}

/** One request through the ingress; `url` is absolute (any host the ingress serves) or a path. */
export function send<T = unknown>(
  method: string,
  url: string,
  options: SendOptions = {},
): Promise<Reply<T>> {
  const target = new URL(url, BASE_URL);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: INGRESS_PORT,
        method,
        path: `${target.pathname}${target.search}`,
        headers: { ...options.headers, Host: target.host },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          if (/json/.test(res.headers['content-type'] ?? '') && text) body = JSON.parse(text);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: body as T });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in time`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A signed-in person: their session cookie goes with every call. */
export class Person {
  cookie = '';

  constructor(
    readonly email: string,
    readonly password = 'a-long-enough-password',
  ) {}

  async call<T>(method: string, path: string, json?: unknown): Promise<Reply<T>> {
    const reply = await send<T>(method, path, {
      headers: {
        ...(json === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const setCookie = [reply.headers['set-cookie'] ?? []]
      .flat()
      .find((c) => c.startsWith('session='));
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    return reply;
  }

  /**
   * Calls until the status is `expected`. A 404 is retried for a while: another service learns
   * of new data (a user, a membership) through events.
   */
  async expect<T>(method: string, path: string, json: unknown, expected: number): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const reply = await this.call<T>(method, path, json);
      if (reply.status === expected) return reply.body;
      if (reply.status !== 404 || Date.now() > deadline) {
        throw new Error(`${method} ${path} answered ${reply.status}: ${reply.text.slice(0, 300)}`);
      }
      await sleep(250);
    }
  }

  async signUp(): Promise<{ id: string; email: string }> {
    return this.expect(
      'POST',
      '/api/users/signup',
      { email: this.email, password: this.password },
      201,
    );
  }
}

/** A Server-Sent Events stream held open through the ingress. */
export class EventStream {
  readonly events: { event: string; data: string }[] = [];
  private response?: IncomingMessage;
  private buffer = '';

  static open(person: Person, path: string): Promise<EventStream> {
    const stream = new EventStream();
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: INGRESS_PORT,
          path,
          headers: { Host: HOST, Cookie: person.cookie, Accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`${path} answered ${res.statusCode}`));
            res.resume();
            return;
          }
          stream.response = res;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => stream.take(chunk));
          res.on('error', () => undefined);
          resolve(stream);
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length > 0) this.events.push({ event, data: data.join('\n') });
    }
  }

  async waitFor(
    match: (e: { event: string; data: string }) => boolean,
    timeoutMs = 30_000,
  ): Promise<{ event: string; data: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(`no such event in ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      }
      await sleep(50);
    }
  }

  close(): void {
    this.response?.destroy();
  }
}

const execFileAsync = promisify(execFile);

/** kubectl against the cluster (KUBECONFIG is set by `npm run cluster -- test`). */
export async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('kubectl', args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export async function kubectlJson<T>(...args: string[]): Promise<T> {
  return JSON.parse(await kubectl(...args, '-o', 'json')) as T;
}

export interface PodList {
  items: {
    metadata: { name: string; labels?: Record<string, string>; deletionTimestamp?: string };
    spec: { containers: { image: string; imagePullPolicy?: string }[] };
    status: {
      phase: string;
      conditions?: { type: string; status: string }[];
      containerStatuses?: { name: string; ready: boolean; restartCount: number }[];
    };
  }[];
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(250);
  }
}
