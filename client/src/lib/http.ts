import { ApiError, errorsFromBody } from './api-errors';

/**
 * A call from the browser to the APIs, same origin, so the session cookie goes along. Bodies are
 * JSON only: the APIs parse nothing else, which with the SameSite=Lax session cookie is what
 * keeps cross-site forms from acting as the user.
 */
export async function api<T = unknown>(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(path, {
    method: options.method ?? 'GET',
    credentials: 'same-origin',
    headers: {
      Accept: 'application/json',
      ...(options.body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!res.ok) throw new ApiError(res.status, errorsFromBody(res.status, body));
  return body as T;
}
