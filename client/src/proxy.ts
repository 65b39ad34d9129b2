import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, createNonce } from './lib/csp';

/**
 * A Content-Security-Policy with a fresh nonce on every page. Next.js reads the nonce from the
 * request's copy of the header while rendering and puts it on its scripts; the browser gets the
 * same policy on the response. Every page is rendered per request (the layout reads the session),
 * so no cached page carries a stale nonce.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({
    nonce: createNonce(),
    dev: process.env.NODE_ENV === 'development',
    https:
      request.nextUrl.protocol === 'https:' ||
      request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https',
  });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Pages only: not the build's static files, the icons or the health check.
  matcher: [
    {
      source: '/((?!_next/static|_next/image|icon.svg|favicon.ico|healthz).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
