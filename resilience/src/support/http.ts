import { signinCookie } from '@taskforge/common/testing';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON request as a browser would send it, with the user's session cookie. */
export async function call<T = unknown>(
  base: string,
  method: string,
  path: string,
  options: {
    cookie?: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer<T>> {
  const hasBody = options.body !== undefined || options.rawBody !== undefined;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...options.headers,
    },
    body:
      options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: kept as text, which the tests that expect JSON report.
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

/** A signed-in user, as auth would have made them (signed with the test key pair). */
export function user(): { id: string; email: string; cookie: string } {
  const { cookie, user: payload } = signinCookie();
  return { ...payload, cookie };
}

/** Every error answer of the suite: `{ errors: [{ message, field? }] }`, nothing else. */
export function isErrorShape(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const keys = Object.keys(body);
  const errors = (body as { errors?: unknown }).errors;
  return (
    keys.length === 1 &&
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as { message?: unknown }).message === 'string' &&
        Object.keys(e).every((k) => k === 'message' || k === 'field'),
    )
  );
}
