import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export interface IngressRoute {
  /** The path prefix, as the ingress has it (`/api/users`, `/`). */
  prefix: string;
  service: string;
  port: number;
  /** The `nginx.ingress.kubernetes.io/*` annotations of its Ingress, without the prefix. */
  annotations?: Record<string, string>;
}

const ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: { name?: string; port?: { number?: number } } };
}

interface IngressDocument {
  kind?: string;
  metadata?: { annotations?: Record<string, unknown> };
  spec?: { rules?: Array<{ http?: { paths?: IngressPath[] } }> };
}

/**
 * The routes of every Ingress in a manifest file, longest prefix first: the order in which
 * ingress-nginx matches `Prefix` paths, so the gateway can try them top to bottom.
 */
export function readIngressRoutes(file: string): IngressRoute[] {
  const routes: IngressRoute[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const object = doc.toJS() as IngressDocument | null;
    if (object?.kind !== 'Ingress') continue;
    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(object.metadata?.annotations ?? {})) {
      if (key.startsWith(ANNOTATION_PREFIX)) {
        annotations[key.slice(ANNOTATION_PREFIX.length)] = String(value);
      }
    }
    for (const rule of object.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const service = path.backend?.service;
        if (!path.path || !service?.name || !service.port?.number) {
          throw new Error(`${file}: an ingress path needs a path and a service name and port`);
        }
        if (path.pathType !== 'Prefix') {
          throw new Error(
            `${file}: ${path.path} uses pathType ${path.pathType}; only Prefix is routed`,
          );
        }
        routes.push({
          prefix: path.path,
          service: service.name,
          port: service.port.number,
          annotations,
        });
      }
    }
  }
  if (routes.length === 0) throw new Error(`${file} has no ingress paths`);
  return routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

/**
 * The route for a request path with the ingress's `Prefix` semantics: `/api/users` matches
 * `/api/users` and `/api/users/me`, never `/api/usersettings`.
 */
export function matchRoute(routes: IngressRoute[], path: string): IngressRoute | undefined {
  return routes.find(({ prefix }) => {
    if (prefix === '/') return true;
    const trimmed = prefix.replace(/\/+$/, '');
    return path === trimmed || path.startsWith(`${trimmed}/`);
  });
}
