export interface CspOptions {
  /** A fresh, unguessable value per response: only scripts and styles carrying it may run. */
  nonce: string;
  /**
   * `next dev`: React rebuilds server error stacks with eval, and the dev overlay injects styles
   * (elements and attributes alike: dev tooling is not ours to restyle).
   */
  dev: boolean;
  /** The page reached the browser over HTTPS (at the ingress), so plain-HTTP requests can be upgraded. */
  https: boolean;
}

/**
 * The client's Content-Security-Policy. Everything the browser fetches is same-origin: the pages,
 * the APIs and the notifications stream (Server-Sent Events) behind the same ingress, and the
 * presigned attachment uploads, which tasks signs for the ingress host. Scripts run only with the
 * response's nonce ('strict-dynamic' lets Next.js's own scripts load its chunks). Avatars are
 * pictures on any http(s) host a person gives auth, so images may come from any such host.
 * <style> elements need the nonce like scripts, and style attributes are refused outright (no
 * nonce can vouch for an attribute), so injected markup cannot restyle the page, say to lay a
 * fake form over it: the pages style themselves with the stylesheet's classes only. Scripts that
 * are allowed to run may still set styles through the CSSOM (`element.style`), which the policy
 * does not govern; Next.js's route announcer does.
 */
export function contentSecurityPolicy({ nonce, dev, https }: CspOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': [
      "'self'",
      `'nonce-${nonce}'`,
      "'strict-dynamic'",
      ...(dev ? ["'unsafe-eval'"] : []),
    ],
    'style-src': ["'self'", dev ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    'style-src-attr': [dev ? "'unsafe-inline'" : "'none'"],
    'img-src': ["'self'", 'https:', 'http:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

/** 128 random bits, base64: the nonce of one response. */
export function createNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
