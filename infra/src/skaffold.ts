import { existsSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parseYamlDocuments } from './yaml-docs';
import { imagePathOf, parseCopy, parseDockerfile, stageChain } from './dockerfile';
import { listFiles, matchFiles } from './glob';
import { containersOf, imageName, podOwnersIn, type KubeObject } from './kube';
import { OWN_IMAGE_PREFIX } from './checks';

export interface SyncRule {
  src: string;
  dest: string;
  strip?: string;
}

export interface Artifact {
  image: string;
  context?: string;
  docker?: { dockerfile?: string; target?: string; network?: string };
  sync?: { manual?: SyncRule[]; infer?: string[]; auto?: boolean };
}

export interface Build {
  artifacts?: Artifact[];
  local?: { push?: boolean };
}

export interface Manifests {
  kustomize?: { paths?: string[] };
  rawYaml?: string[];
}

export interface Profile {
  name: string;
  activation?: Array<Record<string, string>>;
  build?: Build;
  manifests?: Manifests;
  patches?: unknown[];
}

export interface SkaffoldConfig {
  apiVersion: string;
  kind: string;
  build?: Build;
  manifests?: Manifests;
  deploy?: Record<string, unknown>;
  profiles?: Profile[];
}

/** The build and manifests that `skaffold` uses without a profile and with each profile. */
export interface EffectiveConfig {
  profile: string;
  build: Build;
  manifests: Manifests;
  /** JSON patches are not applied here, so a profile that has them is not checked as is. */
  patched: boolean;
}

export function loadSkaffold(root: string): SkaffoldConfig[] {
  const path = join(root, 'skaffold.yaml');
  return parseYamlDocuments(readFileSync(path, 'utf8'), path) as SkaffoldConfig[];
}

export function effectiveConfigs(config: SkaffoldConfig): EffectiveConfig[] {
  const base = { build: config.build ?? {}, manifests: config.manifests ?? {} };
  return [
    { profile: '(default)', ...base, patched: false },
    ...(config.profiles ?? []).map((profile) => ({
      profile: profile.name,
      build: profile.build ?? base.build,
      manifests: profile.manifests ?? base.manifests,
      patched: (profile.patches?.length ?? 0) > 0,
    })),
  ];
}

/** Images of the deployed manifests and artifacts match one to one (for our own images). */
export function artifactImageProblems(build: Build, objects: KubeObject[]): string[] {
  const artifacts = (build.artifacts ?? []).map((artifact) => artifact.image);
  const deployed = new Set(
    podOwnersIn(objects).flatMap((o) => containersOf(o).map((c) => imageName(c.image ?? ''))),
  );
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const image of artifacts) {
    if (seen.has(image)) problems.push(`artifact ${image} is listed twice`);
    seen.add(image);
    if (!deployed.has(image)) problems.push(`artifact ${image} is not used by any workload`);
  }
  for (const image of deployed) {
    if (image.startsWith(OWN_IMAGE_PREFIX) && !seen.has(image)) {
      problems.push(`image ${image} is deployed but no artifact builds it`);
    }
  }
  return problems;
}

function readDockerfile(root: string, artifact: Artifact) {
  const context = resolve(root, artifact.context ?? '.');
  const path = resolve(context, artifact.docker?.dockerfile ?? 'Dockerfile');
  if (!existsSync(path)) return { context, path, stages: undefined };
  return { context, path, stages: parseDockerfile(readFileSync(path, 'utf8')) };
}

/**
 * The Dockerfile exists, has the target stage, and every COPY/ADD source from the build
 * context exists in it (copies from other stages are skipped).
 */
export function dockerfileProblems(root: string, artifact: Artifact): string[] {
  const { context, path, stages } = readDockerfile(root, artifact);
  const where = `artifact ${artifact.image}`;
  if (!stages) return [`${where}: no Dockerfile at ${path}`];
  const target = artifact.docker?.target;
  if (target !== undefined && !stages.some((stage) => stage.name === target.toLowerCase())) {
    return [`${where}: Dockerfile has no stage ${target}`];
  }
  const files = listFiles(context);
  return stages.flatMap((stage) =>
    stage.instructions
      .filter(({ keyword }) => keyword === 'COPY' || keyword === 'ADD')
      .map(({ args }) => parseCopy(args))
      .filter((copy) => copy.from === undefined)
      .flatMap((copy) =>
        copy.sources.flatMap((source) => {
          if (/^https?:\/\//.test(source)) return [];
          const exists = /[*?[]/.test(source)
            ? matchFiles(files, source).length > 0
            : existsSync(resolve(context, source));
          return exists ? [] : [`${where}: COPY source ${source} does not exist`];
        }),
      ),
  );
}

/**
 * A workspace folder that a non-root USER writes in (`npm run build -w svc` writes svc/build,
 * `next dev` writes client/.next) must be made by a COPY --chown to that user: a folder that an
 * earlier plain COPY made (`COPY svc/package.json svc/`) stays root's, and a later
 * `COPY --chown=node:node svc svc` changes only what it copies, not the folder itself.
 */
export function ownershipProblems(root: string, artifact: Artifact): string[] {
  const { stages } = readDockerfile(root, artifact);
  if (!stages) return [];
  const where = `artifact ${artifact.image}`;
  const problems = new Set<string>();
  for (const target of stages.map((stage) => stage.name).filter((n) => n !== undefined)) {
    let user = 'root';
    const made = new Map<string, string>();
    for (const stage of stageChain(stages, target)) {
      for (const { keyword, args } of stage.instructions) {
        if (keyword === 'USER') user = args.split(':')[0] ?? 'root';
        if (keyword === 'COPY' && !/--from=/.test(args)) {
          const { dest } = parseCopy(args);
          const folder = dest.replace(/^\.\//, '').split('/')[0] ?? '';
          const owner = /--chown=([^:\s]+)/.exec(args)?.[1] ?? 'root';
          if (folder && folder !== '.' && !made.has(folder)) made.set(folder, owner);
        }
        if ((keyword === 'RUN' || keyword === 'CMD') && user !== 'root' && user !== '0') {
          for (const [, workspace] of args.matchAll(/(?:-w|--workspace)[ ,"]+([\w-]+)/g)) {
            const owner = made.get(workspace ?? '');
            if (owner !== undefined && owner !== user) {
              problems.add(
                `${where}: ${workspace}/ is made by a COPY without --chown=${user}, but ${user} writes in it (${keyword} ${args.slice(0, 60)})`,
              );
            }
          }
        }
      }
    }
  }
  return [...problems];
}

/**
 * Every manual sync rule matches files, and puts each where the image has it: `dest` plus
 * the path without `strip` must be the path the Dockerfile copies that file to.
 */
export function syncProblems(root: string, artifact: Artifact): string[] {
  const where = `artifact ${artifact.image}`;
  const { context, stages } = readDockerfile(root, artifact);
  const files = listFiles(context);
  const problems: string[] = [];
  for (const glob of artifact.sync?.infer ?? []) {
    if (matchFiles(files, glob).length === 0)
      problems.push(`${where}: sync ${glob} matches no file`);
  }
  for (const rule of artifact.sync?.manual ?? []) {
    const matched = matchFiles(files, rule.src);
    if (matched.length === 0) {
      problems.push(`${where}: sync ${rule.src} matches no file`);
      continue;
    }
    const strip = rule.strip ?? '';
    if (!stages) continue;
    for (const file of matched) {
      if (!file.startsWith(strip)) {
        problems.push(`${where}: sync strip ${strip} is not a prefix of ${file}`);
        break;
      }
      const synced = posix.join(rule.dest, file.slice(strip.length));
      const inImage = imagePathOf(stages, artifact.docker?.target, file);
      if (synced !== inImage) {
        problems.push(`${where}: sync puts ${file} at ${synced}, the image has it at ${inImage}`);
        break;
      }
    }
  }
  return problems;
}
