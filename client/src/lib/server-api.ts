import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { cookies } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { cache } from 'react';
import { ApiError, errorsFromBody } from './api-errors';
import { serverConfig } from './server-config';
import type { User } from './types';

export interface ApiResponse<T> {
  status: number;
  body: T;
  headers: IncomingHttpHeaders;
}

const TIMEOUT_MS = 10_000;

/**
 * A GET from the server, through the same routes the browser uses, as the signed-in browser:
 * the incoming `session` cookie goes along. node:http rather than fetch, because fetch will not
 * send a Host header of our choosing, and the ingress routes by it (`API_HOST`).
 */
export async function apiGet<T>(path: string): Promise<ApiResponse<T>> {
  const { apiUrl, apiHost } = serverConfig();
  const url = new URL(path, apiUrl);
  const session = (await cookies()).get('session');
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          ...(apiHost ? { Host: apiHost } : {}),
          ...(session ? { Cookie: `session=${session.value}` } : {}),
        },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = undefined;
          if (text) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 502, body: body as T, headers: res.headers });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url.pathname} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * A GET a page cannot do without: 401 sends the browser to sign in, 404 shows the not-found
 * page, anything else that is not 2xx is thrown for the error page.
 */
export async function load<T>(path: string, returnTo?: string): Promise<ApiResponse<T>> {
  return ensureOk(await apiGet<T>(path), returnTo);
}

/** A response as `load` treats it. */
export function ensureOk<T>(res: ApiResponse<T>, returnTo?: string): ApiResponse<T> {
  if (res.status === 401) redirect(signInPath(returnTo));
  if (res.status === 404) notFound();
  if (res.status < 200 || res.status >= 300) {
    throw new ApiError(res.status, errorsFromBody(res.status, res.body));
  }
  return res;
}

export function signInPath(returnTo?: string): string {
  return returnTo ? `/signin?next=${encodeURIComponent(returnTo)}` : '/signin';
}

/** The signed-in user (once per request), or null. */
export const currentUser = cache(async (): Promise<User | null> => {
  if (!(await cookies()).has('session')) return null;
  const res = await apiGet<User>('/api/users/me');
  return res.status === 200 ? res.body : null;
});

/** The signed-in user, or a redirect to sign in and come back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<User> {
  const user = await currentUser();
  if (!user) redirect(signInPath(returnTo));
  return user;
}

/** The cursor of the next page a list answered with, if any. */
export function nextCursor(res: ApiResponse<unknown>): string | undefined {
  const value = res.headers['x-next-cursor'];
  return typeof value === 'string' && value ? value : undefined;
}

/** Every page of a list (members, the board), following `X-Next-Cursor`; bounded. */
export async function loadAll<T>(path: string, returnTo: string, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const separator = path.includes('?') ? '&' : '?';
    const res = await load<T[]>(
      cursor ? `${path}${separator}cursor=${encodeURIComponent(cursor)}` : path,
      returnTo,
    );
    items.push(...res.body);
    cursor = nextCursor(res);
    if (!cursor) break;
  }
  return items;
}
