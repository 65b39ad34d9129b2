import { spawnSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from './kube';
import { parseYamlDocuments } from './yaml-docs';

interface Renderer {
  command: string;
  args: string[];
}

export const KUSTOMIZE_INSTALL = 'go install sigs.k8s.io/kustomize/kustomize/v5@v5.7.1';

let found: Renderer | undefined;

function works(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0;
}

/**
 * The real kustomize, so that overlays and patches render exactly as `skaffold dev` renders
 * them: $KUSTOMIZE, `kustomize` on PATH, the one `go install` puts in $GOBIN or ~/go/bin, then
 * `kubectl kustomize`.
 */
export function findKustomize(): Renderer {
  if (found) return found;
  const goBin = process.env.GOBIN ?? join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin');
  const candidates: Array<Renderer & { probe: string[] }> = [
    ...(process.env.KUSTOMIZE
      ? [{ command: process.env.KUSTOMIZE, args: ['build'], probe: ['version'] }]
      : []),
    { command: 'kustomize', args: ['build'], probe: ['version'] },
    { command: join(goBin, 'kustomize'), args: ['build'], probe: ['version'] },
    { command: 'kubectl', args: ['kustomize'], probe: ['version', '--client'] },
  ];
  const renderer = candidates.find((candidate) => works(candidate.command, candidate.probe));
  if (!renderer) {
    throw new Error(`no kustomize found: install it with \`${KUSTOMIZE_INSTALL}\``);
  }
  found = { command: renderer.command, args: renderer.args };
  return found;
}

const rendered = new Map<string, KubeObject[]>();

/** `kustomize build <dir>`, parsed; cached per directory. */
export function renderKustomization(dir: string): KubeObject[] {
  const cached = rendered.get(dir);
  if (cached) return structuredClone(cached);
  const { command, args } = findKustomize();
  const result = spawnSync(command, [...args, dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} ${dir} failed: ${result.stderr || result.error}`);
  }
  const objects = parseYamlDocuments(result.stdout, dir) as KubeObject[];
  rendered.set(dir, objects);
  return structuredClone(objects);
}
