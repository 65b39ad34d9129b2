import { posix } from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  /** The `AS` name, lower-cased as Docker matches it; undefined for an unnamed stage. */
  name: string | undefined;
  from: string;
  instructions: Instruction[];
}

export interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

/** Splits a Dockerfile into stages of instructions (comments dropped, continuations joined). */
export function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = '';
  }
  if (pending.trim() !== '') logical.push(pending.trim());

  const stages: Stage[] = [];
  for (const line of logical) {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    if (keyword === 'FROM') {
      const words = args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({
        from: words[0] ?? '',
        name: asIndex >= 0 ? words[asIndex + 1]?.toLowerCase() : undefined,
        instructions: [],
      });
    } else {
      const stage = stages[stages.length - 1];
      if (!stage) throw new Error(`${keyword} before any FROM`);
      stage.instructions.push({ keyword, args });
    }
  }
  return stages;
}

/** The sources and destination of a COPY or ADD, in shell or JSON form. */
export function parseCopy(args: string): Copy {
  let from: string | undefined;
  let rest = args;
  for (;;) {
    const flag = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest);
    if (!flag) break;
    if (flag[1] === 'from') from = flag[2];
    rest = rest.slice(flag[0].length);
  }
  const words = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  const dest = words[words.length - 1] ?? '';
  return { from, sources: words.slice(0, -1), dest };
}

/** The target stage and the stages it is built on, base first. */
export function stageChain(stages: Stage[], target: string | undefined): Stage[] {
  const last = stages[stages.length - 1];
  let stage = target === undefined ? last : stages.find((s) => s.name === target.toLowerCase());
  if (!stage) throw new Error(`no stage named ${target}`);
  const chain: Stage[] = [];
  while (stage) {
    chain.unshift(stage);
    const parentName = stage.from.toLowerCase();
    const parent: Stage | undefined = stages.find((s) => s.name === parentName);
    if (parent && chain.includes(parent)) throw new Error(`stage cycle at ${parentName}`);
    stage = parent;
  }
  return chain;
}

function normalizeSource(source: string): string {
  const trimmed = posix.normalize(source).replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

/**
 * Where a file of the build context ends up in the image built to `target`, following the
 * COPY/ADD instructions from the context (not `--from` ones) and WORKDIR; undefined when no
 * instruction copies it.
 */
export function imagePathOf(
  stages: Stage[],
  target: string | undefined,
  file: string,
): string | undefined {
  let workdir = '/';
  let result: string | undefined;
  for (const stage of stageChain(stages, target)) {
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'WORKDIR') {
        workdir = posix.resolve(workdir, args);
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        const copy = parseCopy(args);
        if (copy.from !== undefined) continue;
        const dest = posix.resolve(workdir, copy.dest);
        const intoDir =
          copy.dest.endsWith('/') ||
          copy.dest === '.' ||
          copy.dest.endsWith('/.') ||
          copy.sources.length > 1;
        for (const raw of copy.sources) {
          const source = normalizeSource(raw);
          if (file === source) {
            result = intoDir ? posix.join(dest, posix.basename(file)) : dest;
          } else if (source === '.' || file.startsWith(`${source}/`)) {
            result = posix.join(dest, posix.relative(source, file));
          }
        }
      }
    }
  }
  return result;
}
