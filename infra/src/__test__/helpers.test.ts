import { imagePathOf, parseCopy, parseDockerfile, stageChain } from '../dockerfile';
import { globToRegExp, matchFiles } from '../glob';
import { imageName, imageTag } from '../kube';
import { parseQuantity } from '../quantity';

describe('parseQuantity', () => {
  it.each([
    ['250m', 0.25],
    ['1', 1],
    [2, 2],
    ['0.5', 0.5],
    ['128Mi', 128 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1G', 1e9],
  ])('reads %s', (quantity, value) => {
    expect(parseQuantity(quantity)).toBeCloseTo(value);
  });

  it('rejects what is not a quantity', () => {
    expect(parseQuantity('lots')).toBeNaN();
    expect(parseQuantity('1Xi')).toBeNaN();
  });
});

describe('globs', () => {
  const files = ['auth/src/index.ts', 'auth/src/routes/new.ts', 'auth/src/a.json', 'auth/x.ts'];

  it('matches ** across zero or more folders and * within one', () => {
    expect(matchFiles(files, 'auth/src/**/*.ts')).toEqual([
      'auth/src/index.ts',
      'auth/src/routes/new.ts',
    ]);
    expect(matchFiles(files, 'auth/*.ts')).toEqual(['auth/x.ts']);
    expect(matchFiles(files, './auth/src/?.json')).toEqual(['auth/src/a.json']);
  });

  it('treats regular expression characters literally', () => {
    expect(globToRegExp('a.b').test('axb')).toBe(false);
  });
});

describe('Dockerfile parsing', () => {
  const text = [
    '# comment',
    'FROM node:20 AS base',
    'WORKDIR /repo',
    'COPY package.json \\',
    '  package-lock.json ./',
    'FROM base AS Dev',
    'COPY --chown=node:node ["svc", "svc"]',
    'WORKDIR svc',
    'COPY tsconfig.json .',
    'FROM base AS runtime',
    'COPY --from=dev /repo/svc/build svc/build',
  ].join('\n');
  const stages = parseDockerfile(text);

  it('reads stages, names, continuations and COPY forms', () => {
    expect(stages.map((s) => [s.name, s.from])).toEqual([
      ['base', 'node:20'],
      ['dev', 'base'],
      ['runtime', 'base'],
    ]);
    expect(parseCopy(stages[0]?.instructions[1]?.args ?? '')).toEqual({
      from: undefined,
      sources: ['package.json', 'package-lock.json'],
      dest: './',
    });
    expect(parseCopy('--from=dev /a b').from).toBe('dev');
    expect(stageChain(stages, 'runtime').map((s) => s.name)).toEqual(['base', 'runtime']);
    expect(() => stageChain(stages, 'prod')).toThrow('no stage named prod');
  });

  it('follows a context file into the image of a target', () => {
    expect(imagePathOf(stages, 'dev', 'svc/src/index.ts')).toBe('/repo/svc/src/index.ts');
    expect(imagePathOf(stages, 'dev', 'package.json')).toBe('/repo/package.json');
    expect(imagePathOf(stages, 'dev', 'tsconfig.json')).toBe('/repo/svc/tsconfig.json');
    expect(imagePathOf(stages, 'runtime', 'svc/src/index.ts')).toBeUndefined();
  });
});

describe('image references', () => {
  it('splits name and tag, registry ports included', () => {
    expect(imageName('localhost:5000/taskforge/auth:abc')).toBe('localhost:5000/taskforge/auth');
    expect(imageTag('localhost:5000/taskforge/auth')).toBeUndefined();
    expect(imageTag('mongo:7.0.16')).toBe('7.0.16');
    expect(imageName('redis@sha256:0123')).toBe('redis');
  });
});
