import { setTimeout as sleep } from 'node:timers/promises';

/** A signed-in session against the gateway: every call goes through the public API. */
export class ApiSession {
  private cookie = '';

  constructor(private readonly baseUrl: string) {}

  /** The `session=…` cookie this session holds, for other clients acting as the same user. */
  cookieHeader(): string {
    return this.cookie;
  }

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(this.cookie ? { Cookie: this.cookie } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('session='));
    if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** Calls until the status is `expected`; other services learn of new data through events. */
  async expect<T>(method: string, path: string, body: unknown, expected: number): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await this.call<T>(method, path, body);
      if (res.status === expected) return res.body;
      // 404: a replica has not caught up yet (a new user in teams' directory, a membership in tasks).
      if (res.status !== 404 || Date.now() > deadline) {
        throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
      await sleep(200);
    }
  }
}
