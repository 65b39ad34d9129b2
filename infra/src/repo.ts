import { resolve } from 'node:path';

/** The repository root: skaffold's build context and the base of every path it names. */
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const INFRA_ROOT = resolve(__dirname, '..');
export const K8S_BASE = resolve(INFRA_ROOT, 'k8s', 'base');
export const K8S_DEV = resolve(INFRA_ROOT, 'k8s', 'overlays', 'dev');
export const K8S_PROD = resolve(INFRA_ROOT, 'k8s', 'overlays', 'prod');
export const CREATE_SECRETS = resolve(INFRA_ROOT, 'scripts', 'create-secrets.sh');
