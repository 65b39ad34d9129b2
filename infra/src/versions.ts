import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './repo';

/** versions.env: every version the suite runs on (KEY=value lines, `#` comments). */
export const VERSIONS_FILE = resolve(REPO_ROOT, 'versions.env');

export function readVersions(file = VERSIONS_FILE): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (match) versions[match[1]!] = match[2]!;
  }
  return versions;
}

/**
 * The image each server of versions.env runs as in the manifests, with the tag its version
 * gives: a manifest that pins another tag, or an image no entry names, is a finding.
 */
export function expectedImages(versions: Record<string, string>): Record<string, string> {
  const v = (key: string) => {
    const value = versions[key];
    if (!value) throw new Error(`versions.env has no ${key}`);
    return value;
  };
  return {
    nats: v('NATS_SERVER_VERSION'),
    postgres: `${v('POSTGRES_VERSION')}-bookworm`,
    redis: v('REDIS_VERSION'),
    'ghcr.io/versity/versitygw': `v${v('VERSITYGW_VERSION')}`,
    mongo: v('MONGO_VERSION'),
    'axllent/mailpit': `v${v('MAILPIT_VERSION')}`,
    'jaegertracing/all-in-one': v('JAEGER_VERSION'),
  };
}

/** The base image of every Dockerfile of ours. */
export function nodeImage(versions: Record<string, string>): string {
  return `node:${versions.NODE_VERSION}-bookworm-slim`;
}
