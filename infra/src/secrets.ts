import { spawnSync } from 'node:child_process';
import type { KubeObject } from './kube';
import { CREATE_SECRETS } from './repo';
import { parseYamlDocuments } from './yaml-docs';

export interface ScriptRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCreateSecrets(args: string[], env: NodeJS.ProcessEnv = process.env): ScriptRun {
  const result = spawnSync('bash', [CREATE_SECRETS, ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The Secrets that create-secrets.sh makes, from its `--print` output. */
export function printedSecrets(args: string[] = []): KubeObject[] {
  const run = runCreateSecrets(['--print', ...args]);
  if (run.status !== 0) {
    throw new Error(`create-secrets.sh --print exited ${run.status}: ${run.stderr}`);
  }
  return parseYamlDocuments(run.stdout, 'create-secrets.sh --print') as KubeObject[];
}
