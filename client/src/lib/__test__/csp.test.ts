import { contentSecurityPolicy, createNonce } from '../csp';

const directives = (policy: string) =>
  new Map(
    policy.split('; ').map((directive) => {
      const [name = '', ...sources] = directive.split(' ');
      return [name, sources];
    }),
  );

describe('the Content-Security-Policy', () => {
  it('lets only same-origin and nonce-carrying scripts run in production, without eval', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc=', dev: false, https: false }));
    expect(policy.get('script-src')).toEqual(["'self'", "'nonce-abc='", "'strict-dynamic'"]);
    expect(policy.get('style-src')).toEqual(["'self'", "'nonce-abc='"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('refuses every style attribute in production', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc=', dev: false, https: false }));
    // Stated outright, so that loosening style-src one day would not let attributes in with it.
    expect(policy.get('style-src-attr')).toEqual(["'none'"]);
    expect([...policy.values()].flat()).not.toContain("'unsafe-inline'");
    expect([...policy.values()].flat()).not.toContain("'unsafe-hashes'");
  });

  it('allows eval and inline styles under next dev only', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc=', dev: true, https: false }));
    expect(policy.get('script-src')).toContain("'unsafe-eval'");
    // A nonce in the list would make browsers ignore 'unsafe-inline'.
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    // Dev tooling is not ours to restyle.
    expect(policy.get('style-src-attr')).toEqual(["'unsafe-inline'"]);
  });

  it('upgrades plain-HTTP requests when the page came over HTTPS', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc=', dev: false, https: true }));
    expect(policy.get('upgrade-insecure-requests')).toEqual([]);
  });

  it('makes a different 128-bit nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
