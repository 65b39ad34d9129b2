import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchRoute, readIngressRoutes } from '../ingress';
import { SERVICES, STORE_BACKENDS } from '../services';

const manifest = join(__dirname, '..', '..', '..', 'infra', 'k8s', 'base', 'ingress.yaml');

function writeManifest(content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ingress-')), 'ingress.yaml');
  writeFileSync(file, content);
  return file;
}

describe('readIngressRoutes', () => {
  it('reads the suite ingress, longest prefix first', () => {
    const routes = readIngressRoutes(manifest);
    expect(routes.map((r) => r.prefix)).toContain('/api/users');
    const lengths = routes.map((r) => r.prefix.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  });

  it('knows how to run every service and store the ingress routes to', () => {
    const runnable = [...SERVICES.map((s) => s.name), ...Object.keys(STORE_BACKENDS)];
    for (const route of readIngressRoutes(manifest)) {
      expect(runnable).toContain(route.service);
    }
  });

  it('refuses path types it cannot route the way ingress-nginx does', () => {
    const file = writeManifest(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: x }
spec:
  rules:
    - http:
        paths:
          - path: /api/x
            pathType: ImplementationSpecific
            backend: { service: { name: x, port: { number: 3000 } } }
`);
    expect(() => readIngressRoutes(file)).toThrow(/ImplementationSpecific/);
  });

  it('refuses a manifest without ingress paths', () => {
    const file = writeManifest('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
    expect(() => readIngressRoutes(file)).toThrow(/no ingress paths/);
  });
});

describe('matchRoute', () => {
  const routes = [
    { prefix: '/api/users', service: 'auth', port: 3000 },
    { prefix: '/api/', service: 'api', port: 3000 },
    { prefix: '/', service: 'client', port: 3000 },
  ];

  it.each([
    ['/api/users', 'auth'],
    ['/api/users/currentuser', 'auth'],
    ['/api/usersettings', 'api'],
    ['/api/tickets/1', 'api'],
    ['/api', 'api'],
    ['/', 'client'],
    ['/teams/1', 'client'],
  ])('routes %s to %s', (path, service) => {
    expect(matchRoute(routes, path)?.service).toBe(service);
  });

  it('matches nothing when no prefix applies', () => {
    expect(matchRoute(routes.slice(0, 1), '/elsewhere')).toBeUndefined();
  });
});
