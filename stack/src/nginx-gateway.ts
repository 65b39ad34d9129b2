import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngressRoute } from './ingress';
import { startProcess, type RunningProcess } from './processes';

/**
 * The gateway as nginx, the server ingress-nginx runs in the cluster: a config generated from
 * the same Ingress routes, with ingress-nginx's defaults and the annotations the suite's Ingress
 * sets. Used by the local stack when nginx is installed; `gateway.ts` is the fallback.
 */
export interface NginxGatewayOptions {
  /** The nginx binary. */
  nginx: string;
  /** Where its config, pid, temporary files and logs go. */
  dir: string;
  port: number;
  /** The address it listens on (default 127.0.0.1: this machine only). */
  host?: string;
  routes: IngressRoute[];
  /** The URL of a route's service on this machine; undefined when this stack does not run it. */
  upstream: (service: string, port: number) => string | undefined;
}

/** The nginx binary on PATH, if any. */
export function findNginx(): string | undefined {
  for (const candidate of [process.env.NGINX, 'nginx', '/usr/sbin/nginx']) {
    if (!candidate) continue;
    try {
      execFileSync(candidate, ['-v'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

// What ingress-nginx does when no annotation says otherwise (its ConfigMap defaults).
const DEFAULTS = {
  'proxy-buffering': 'off',
  'proxy-request-buffering': 'on',
  'proxy-body-size': '1m',
  'proxy-read-timeout': '60',
  'proxy-send-timeout': '60',
  'proxy-connect-timeout': '5',
};

type Setting = keyof typeof DEFAULTS;

function isSetting(name: string): name is Setting {
  return Object.hasOwn(DEFAULTS, name);
}

const ON_OFF = /^(on|off)$/;
const SECONDS = /^\d{1,6}$/;
const SIZE = /^\d{1,6}[kKmMgG]?$/;

/** The location directives of one route's settings; an annotation nginx here cannot honour fails. */
function settingsOf(route: IngressRoute): string[] {
  const settings: Record<Setting, string> = { ...DEFAULTS };
  for (const [name, value] of Object.entries(route.annotations ?? {})) {
    if (!isSetting(name)) {
      throw new Error(
        `the local gateway does not apply the ingress annotation ${name} (of ${route.prefix})`,
      );
    }
    const pattern = name.endsWith('-timeout')
      ? SECONDS
      : name === 'proxy-body-size'
        ? SIZE
        : ON_OFF;
    if (!pattern.test(value)) {
      throw new Error(`ingress annotation ${name} of ${route.prefix}: ${JSON.stringify(value)}`);
    }
    settings[name] = value;
  }
  return [
    `proxy_buffering ${settings['proxy-buffering']};`,
    `proxy_request_buffering ${settings['proxy-request-buffering']};`,
    `client_max_body_size ${settings['proxy-body-size']};`,
    `proxy_read_timeout ${settings['proxy-read-timeout']}s;`,
    `proxy_send_timeout ${settings['proxy-send-timeout']}s;`,
    `proxy_connect_timeout ${settings['proxy-connect-timeout']}s;`,
  ];
}

/** A JSON body in the suite's error shape, as an nginx string literal. */
function errorBody(message: string): string {
  return `'${JSON.stringify({ errors: [{ message }] }).replace(/[\\']/g, '\\$&')}'`;
}

const NAME = /^[a-z0-9-]{1,63}$/;
const PREFIX = /^\/[A-Za-z0-9._~/-]*$/;

/**
 * The `Prefix` semantics of an Ingress path: `/api/users` is that path and everything under
 * `/api/users/`, never `/api/usersettings`; nginx's longest prefix wins, as ingress-nginx's does.
 */
function locationsOf(prefix: string): string[] {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? ['/'] : [`= ${trimmed}`, `${trimmed}/`];
}

export function nginxConfig(options: NginxGatewayOptions): string {
  const { dir } = options;
  const upstreams: string[] = [];
  const locations: string[] = [];
  const seen = new Set<string>();
  for (const route of options.routes) {
    if (!NAME.test(route.service) || !PREFIX.test(route.prefix)) {
      throw new Error(`ingress route ${route.prefix} → ${route.service}: not a name nginx takes`);
    }
    const url = options.upstream(route.service, route.port);
    const name = `${route.service.replace(/-/g, '_')}_${route.port}`;
    let body: string[];
    if (url === undefined) {
      body = [
        `return 503 ${errorBody(`The ${route.service} service is not running in this stack`)};`,
      ];
    } else {
      const target = new URL(url);
      if (!seen.has(name)) {
        seen.add(name);
        // Kept connections, dropped before Node's 5 s keep-alive timeout closes them.
        upstreams.push(
          `upstream ${name} {`,
          `  server ${target.host};`,
          '  keepalive 64;',
          '  keepalive_timeout 4s;',
          '}',
        );
        locations.push(
          `location @unreachable_${name} {`,
          `  return 502 ${errorBody(`The ${route.service} service is not reachable`)};`,
          '}',
        );
      }
      body = [
        `proxy_pass http://${name};`,
        ...settingsOf(route),
        `error_page 502 = @unreachable_${name};`,
      ];
    }
    for (const location of locationsOf(route.prefix)) {
      locations.push(`location ${location} {`, ...body.map((line) => `  ${line}`), '}');
    }
  }
  if (!options.routes.some((route) => route.prefix.replace(/\/+$/, '') === '')) {
    locations.push(
      'location / {',
      `  return 404 ${errorBody('No ingress route for this path')};`,
      '}',
    );
  }
  // Workers run as whoever runs the stack, as the Node.js gateway does (nginx would switch to
  // nobody when started as root, who could not write the temporary files below).
  const user = process.getuid?.() === 0 ? ['user root;'] : [];
  return [
    ...user,
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  server_tokens off;',
    // nginx's default closes a client's connection after its 1,000th request (as ingress-nginx
    // does; the cluster's Traefik sets no such cap). A client that sends its next request as
    // the close arrives (autocannon does) sees it fail: measured here in front of a bare
    // node:http server, 4 errors in 138,769 requests at 1,000, none at this value.
    '  keepalive_requests 1000000;',
    `  access_log ${join(dir, 'access.log')} combined buffer=64k flush=1s;`,
    `  client_body_temp_path ${join(dir, 'body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'scgi')};`,
    '  default_type "application/json; charset=utf-8";',
    // WebSocket upgrades pass; every other request keeps the connection to the service open.
    '  map $http_upgrade $connection_upgrade { default upgrade; "" ""; }',
    '  proxy_http_version 1.1;',
    '  proxy_set_header Host $http_host;',
    '  proxy_set_header Upgrade $http_upgrade;',
    '  proxy_set_header Connection $connection_upgrade;',
    '  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '  proxy_set_header X-Forwarded-Proto $scheme;',
    '  proxy_redirect off;',
    ...upstreams.map((line) => `  ${line}`),
    '  server {',
    `    listen ${options.host ?? '127.0.0.1'}:${options.port};`,
    ...locations.map((line) => `    ${line}`),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Writes the config, checks it with `nginx -t`, and runs nginx in the foreground. */
export function startNginxGateway(
  options: NginxGatewayOptions & { logFile: string },
): RunningProcess {
  mkdirSync(options.dir, { recursive: true });
  const conf = join(options.dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(options));
  const args = ['-p', options.dir, '-e', join(options.dir, 'error.log'), '-c', conf];
  execFileSync(options.nginx, [...args, '-t', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Stopped with SIGTERM (stopProcess), nginx's fast shutdown: open streams end at once.
  return startProcess({
    name: 'gateway',
    command: [options.nginx, ...args],
    cwd: options.dir,
    env: {},
    logFile: options.logFile,
  });
}
