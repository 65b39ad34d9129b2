import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProcess, stopProcess, waitUntilReady, type RunningProcess } from './processes';

const run = promisify(execFile);

/** Zipkin 3 runs on Java 17 or newer. */
const JAVA_MAJOR = 17;

/**
 * The `java` on PATH, when it is recent enough for Zipkin; a message saying what to install
 * otherwise, before the stack starts anything.
 */
export async function findJava(): Promise<string> {
  const install = `--tracing=zipkin needs Java ${JAVA_MAJOR} or newer (on Debian: apt-get install openjdk-${JAVA_MAJOR}-jre-headless)`;
  let banner: string;
  try {
    // `java -version` writes to stderr.
    banner = (await run('java', ['-version'])).stderr;
  } catch {
    throw new Error(`${install}; there is no java on PATH`);
  }
  // "17.0.15", or "1.8.0_402" for Java 8 and older.
  const [, first, second] = /version "(\d+)(?:\.(\d+))?/.exec(banner) ?? [];
  const major = first === '1' ? Number(second) : Number(first);
  if (!(major >= JAVA_MAJOR)) {
    throw new Error(`${install}; java on PATH is ${banner.split('\n')[0]?.trim()}`);
  }
  return 'java';
}

/** Where the services send their spans: Zipkin's own API (it takes no OTLP). */
export function zipkinSpansUrl(port: number): string {
  return `http://127.0.0.1:${port}/api/v2/spans`;
}

/**
 * Zipkin's server (downloaded once by scripts/zipkin.sh at the version of versions.env) with
 * in-memory storage, its UI, query API and span collector on one loopback port.
 */
export async function startZipkin(
  root: string,
  dataDir: string,
  options: { java: string; port: number },
): Promise<RunningProcess> {
  const { stdout } = await run(join(root, 'scripts', 'zipkin.sh'), ['ensure'], { cwd: root });
  const proc = startProcess({
    name: 'zipkin',
    command: [
      options.java,
      // A bound on memory: with MEM_MAX_SPANS below it stays near 250 MB resident.
      '-Xmx256m',
      // Listens on 127.0.0.1 itself rather than on an IPv6 socket mapped onto it.
      '-Djava.net.preferIPv4Stack=true',
      '-jar',
      stdout.trim(),
      // Its one server (Armeria): the UI, the API and the collector, on loopback only.
      `--armeria.ports[0].ip=127.0.0.1`,
      `--armeria.ports[0].port=${options.port}`,
      '--armeria.ports[0].protocols[0]=http',
    ],
    cwd: dataDir,
    env: {
      STORAGE_TYPE: 'mem',
      // Past this Zipkin drops the oldest traces: a long session keeps its newest ones.
      MEM_MAX_SPANS: '100000',
    },
    logFile: join(dataDir, 'logs', 'zipkin.log'),
  });
  try {
    // The JVM takes several seconds to start, more on a busy machine.
    await waitUntilReady(`http://127.0.0.1:${options.port}/health`, proc, 90_000);
  } catch (err) {
    // Not yet among the stack's processes: the stack's shutdown would not stop it.
    await stopProcess(proc);
    throw err;
  }
  return proc;
}
