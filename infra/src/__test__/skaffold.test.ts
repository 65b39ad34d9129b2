import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { renderKustomization } from '../kustomize';
import { REPO_ROOT } from '../repo';
import { CLIENT, IMAGES, SERVICES } from './suite';
import {
  artifactImageProblems,
  dockerfileProblems,
  ownershipProblems,
  effectiveConfigs,
  loadSkaffold,
  syncProblems,
  type Artifact,
} from '../skaffold';

const documents = loadSkaffold(REPO_ROOT);
const [config] = documents;
if (!config) throw new Error('skaffold.yaml is empty');

describe('skaffold.yaml', () => {
  it('is one Config of the v4 schema', () => {
    expect(documents).toHaveLength(1);
    expect(config.apiVersion).toMatch(/^skaffold\/v4beta\d+$/);
    expect(config.kind).toBe('Config');
  });

  it('builds every service and the client from the repository root to its runtime stage, on the host network, without pushing', () => {
    expect(config.build?.local?.push).toBe(false);
    expect(config.build?.artifacts).toEqual(
      IMAGES.map((service) => ({
        image: `taskforge/${service}`,
        context: '.',
        docker: { dockerfile: `${service}/Dockerfile`, target: 'runtime', network: 'host' },
      })),
    );
  });

  it('deploys the dev overlay through kustomize', () => {
    expect(config.manifests?.kustomize?.paths).toEqual(['infra/k8s/overlays/dev']);
    expect(config.deploy).toHaveProperty('kubectl');
  });

  it('has a dev profile, on for `skaffold dev`, that builds the dev stage and syncs sources', () => {
    const dev = config.profiles?.find((profile) => profile.name === 'dev');
    expect(dev?.build?.artifacts?.map((a) => a.image)).toEqual(
      IMAGES.map((image) => `taskforge/${image}`),
    );
    expect(dev?.activation).toContainEqual({ command: 'dev' });
    expect(dev?.build?.local?.push).toBe(false);
    for (const service of SERVICES) {
      const artifact = dev?.build?.artifacts?.find((a) => a.image === `taskforge/${service}`);
      expect(artifact?.docker).toMatchObject({ target: 'dev', network: 'host' });
      expect(artifact?.sync?.manual).toEqual([
        { src: `${service}/src/**/*.ts`, dest: `/repo/${service}/src`, strip: `${service}/src/` },
      ]);
    }
    // next dev reloads pages, components and styles alike.
    const client = dev?.build?.artifacts?.find((a) => a.image === `taskforge/${CLIENT}`);
    expect(client?.docker).toMatchObject({ target: 'dev', network: 'host' });
    expect(client?.sync?.manual).toEqual([
      { src: 'client/src/**/*', dest: '/repo/client/src', strip: 'client/src/' },
    ]);
  });

  it('has a prod profile that pushes the runtime images and deploys the prod overlay', () => {
    const prod = config.profiles?.find((profile) => profile.name === 'prod');
    expect(prod?.activation).toBeUndefined();
    expect(prod?.build?.local?.push).toBe(true);
    expect(prod?.build?.artifacts).toEqual(config.build?.artifacts);
    expect(prod?.manifests?.kustomize?.paths).toEqual(['infra/k8s/overlays/prod']);
  });
});

describe.each(effectiveConfigs(config))('skaffold profile $profile', (effective) => {
  const artifacts = effective.build.artifacts ?? [];
  const paths = effective.manifests.kustomize?.paths ?? [];
  const objects = paths.flatMap((path) => renderKustomization(resolve(REPO_ROOT, path)));

  it('is checked as skaffold runs it (no JSON patches, manifests through kustomize)', () => {
    expect(effective.patched).toBe(false);
    expect(effective.manifests.rawYaml ?? []).toEqual([]);
    expect(paths.length).toBeGreaterThan(0);
  });

  it('builds exactly the taskforge/* images its manifests deploy', () => {
    expect(artifacts.length).toBeGreaterThan(0);
    expect(artifactImageProblems(effective.build, objects)).toEqual([]);
  });

  it.each(artifacts.map((artifact) => [artifact.image, artifact]))(
    '%s: Dockerfile, target stage and COPY sources exist',
    (_image, artifact) => {
      expect(dockerfileProblems(REPO_ROOT, artifact as Artifact)).toEqual([]);
    },
  );

  it.each(artifacts.map((artifact) => [artifact.image, artifact]))(
    "%s: the folders its non-root user writes in are that user's",
    (_image, artifact) => {
      expect(ownershipProblems(REPO_ROOT, artifact as Artifact)).toEqual([]);
    },
  );

  it.each(artifacts.map((artifact) => [artifact.image, artifact]))(
    '%s: sync rules match files and put them where the image has them',
    (_image, artifact) => {
      expect(syncProblems(REPO_ROOT, artifact as Artifact)).toEqual([]);
    },
  );
});

describe('the skaffold checks catch', () => {
  let root: string;
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  const artifact = (extra: Partial<Artifact> = {}): Artifact => ({
    image: 'taskforge/svc',
    context: '.',
    docker: { dockerfile: 'svc/Dockerfile', target: 'dev' },
    ...extra,
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'skaffold-check-'));
    write('package.json', '{}');
    write('svc/src/index.ts', '');
    write('svc/src/routes/new.ts', '');
    write(
      'svc/Dockerfile',
      [
        'FROM node:20 AS base',
        'WORKDIR /repo',
        'COPY package.json ./',
        'FROM base AS dev',
        'COPY --chown=node:node svc svc',
        'FROM base AS runtime',
        'COPY --from=dev /repo/svc/build svc/build',
      ].join('\n'),
    );
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('an artifact nothing deploys, and a deployed image nothing builds', () => {
    const objects = renderKustomization(resolve(REPO_ROOT, 'infra/k8s/base'));
    const artifacts = ['auth', 'tickets', 'teams', 'tasks', 'client', 'reports'].map((image) => ({
      image: `taskforge/${image}`,
    }));
    expect(artifactImageProblems({ artifacts }, objects)).toEqual([
      'artifact taskforge/reports is not used by any workload',
      'image taskforge/notifications is deployed but no artifact builds it',
    ]);
  });

  it('a missing Dockerfile, a missing target stage and a missing COPY source', () => {
    expect(dockerfileProblems(root, artifact())).toEqual([]);
    expect(dockerfileProblems(root, artifact({ docker: { dockerfile: 'x/Dockerfile' } }))).toEqual([
      expect.stringContaining('no Dockerfile'),
    ]);
    expect(
      dockerfileProblems(
        root,
        artifact({ docker: { dockerfile: 'svc/Dockerfile', target: 'prod' } }),
      ),
    ).toEqual([expect.stringContaining('no stage prod')]);
    rmSync(join(root, 'package.json'));
    expect(dockerfileProblems(root, artifact())).toEqual([
      'artifact taskforge/svc: COPY source package.json does not exist',
    ]);
  });

  it("a workspace folder made by root that the image's user builds into", () => {
    const dockerfile = (copy: string) =>
      write(
        'svc/Dockerfile',
        [
          'FROM node:20 AS base',
          'WORKDIR /repo',
          copy,
          'FROM base AS dev',
          'COPY --chown=node:node svc svc',
          'USER node',
          'CMD ["npm", "run", "dev", "-w", "svc"]',
          'FROM dev AS build',
          'RUN npm run build -w svc',
        ].join('\n'),
      );
    dockerfile('COPY svc/package.json svc/');
    expect(ownershipProblems(root, artifact())).toEqual([
      expect.stringContaining(
        'svc/ is made by a COPY without --chown=node, but node writes in it (CMD',
      ),
      expect.stringContaining('(RUN npm run build -w svc)'),
    ]);
    dockerfile('COPY --chown=node:node svc/package.json svc/');
    expect(ownershipProblems(root, artifact())).toEqual([]);
  });

  it('a sync rule that matches nothing or lands files in the wrong place', () => {
    const sync = (src: string, dest: string, strip?: string): Artifact =>
      artifact({ sync: { manual: [{ src, dest, ...(strip ? { strip } : {}) }] } });
    expect(syncProblems(root, sync('svc/src/**/*.ts', '/repo/svc/src', 'svc/src/'))).toEqual([]);
    expect(syncProblems(root, sync('svc/src/**/*.ts', '/repo'))).toEqual([]);
    expect(syncProblems(root, sync('svc/lib/**/*.ts', '/repo/svc/src', 'svc/src/'))).toEqual([
      expect.stringContaining('matches no file'),
    ]);
    expect(syncProblems(root, sync('svc/src/**/*.ts', '/repo/svc/src'))).toEqual([
      expect.stringContaining('puts svc/src/index.ts at /repo/svc/src/svc/src/index.ts'),
    ]);
    expect(syncProblems(root, sync('svc/src/**/*.ts', '/app', 'svc/src/'))).toEqual([
      expect.stringContaining('the image has it at /repo/svc/src/index.ts'),
    ]);
  });
});
