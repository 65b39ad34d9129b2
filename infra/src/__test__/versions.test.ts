import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile } from '../dockerfile';
import { containersOf, imageName, imageTag, podOwnersIn } from '../kube';
import { renderKustomization } from '../kustomize';
import { K8S_DEV, K8S_PROD, REPO_ROOT } from '../repo';
import { expectedImages, nodeImage, readVersions } from '../versions';
import { IMAGES } from './suite';

const versions = readVersions();
const expected = expectedImages(versions);

/** Every image a rendered overlay runs that is not ours (skaffold builds those). */
function storeImages(dir: string): string[] {
  return renderKustomization(dir)
    .flatMap((object) => podOwnersIn([object]))
    .flatMap((owner) => containersOf(owner).map((container) => container.image ?? ''))
    .filter((image) => !image.startsWith('taskforge/'));
}

describe('versions.env', () => {
  it.each([
    ['dev', K8S_DEV],
    ['prod', K8S_PROD],
  ])('names the tag of every server image the %s overlay runs', (_name, dir) => {
    const images = storeImages(dir);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect([image, imageTag(image)]).toEqual([image, expected[imageName(image)]]);
    }
  });

  it('names the servers the overlays run, and no server they do not', () => {
    const names = new Set([...storeImages(K8S_DEV), ...storeImages(K8S_PROD)].map(imageName));
    expect([...names].sort()).toEqual(Object.keys(expected).sort());
  });

  it('is the Node.js of every Dockerfile, of .node-version and of engines', () => {
    for (const image of IMAGES) {
      const stages = parseDockerfile(readFileSync(join(REPO_ROOT, image, 'Dockerfile'), 'utf8'));
      // Every stage that starts from an image rather than an earlier stage starts from this one.
      const names = new Set(stages.map((stage) => stage.name));
      const external = new Set(stages.map((s) => s.from).filter((from) => !names.has(from)));
      expect([...external]).toEqual([nodeImage(versions)]);
    }
    expect(readFileSync(join(REPO_ROOT, '.node-version'), 'utf8').trim()).toBe(
      versions.NODE_VERSION,
    );
    const engines = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
        engines: { node: string };
      }
    ).engines.node;
    expect(engines).toBe(
      `>=${versions.NODE_VERSION} <${Number(versions.NODE_VERSION!.split('.')[0]) + 1}`,
    );
  });
});
