import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openPort } from './ports';
import { startProcess, stopProcess, waitUntilReady, type RunningProcess } from './processes';

const run = promisify(execFile);

export interface JaegerPorts {
  /** The UI and its query API (/api/traces, /api/services). */
  ui: number;
  /** The OTLP over HTTP receiver the services export to. */
  otlpHttp: number;
}

/**
 * Jaeger all-in-one with in-memory storage (the traces go with the stack), built once by
 * scripts/jaeger.sh at the version of versions.env. Its UI and OTLP/HTTP receiver listen on the
 * stack's ports; its other listeners (OTLP/gRPC, Jaeger's own collector and query gRPC, the
 * admin server), which nothing of the stack uses, on a free loopback port each.
 */
export async function startJaeger(
  root: string,
  dataDir: string,
  ports: JaegerPorts,
): Promise<RunningProcess> {
  const { stdout } = await run(join(root, 'scripts', 'jaeger.sh'), ['ensure'], { cwd: root });
  const unused = '127.0.0.1:0';
  const proc = startProcess({
    name: 'jaeger',
    command: [
      stdout.trim(),
      // A bound on memory: a long session keeps its newest traces.
      '--memory.max-traces=20000',
      `--query.http-server.host-port=127.0.0.1:${ports.ui}`,
      `--collector.otlp.http.host-port=127.0.0.1:${ports.otlpHttp}`,
      `--collector.otlp.grpc.host-port=${unused}`,
      `--collector.grpc-server.host-port=${unused}`,
      `--collector.http-server.host-port=${unused}`,
      `--query.grpc-server.host-port=${unused}`,
      `--admin.http.host-port=${unused}`,
    ],
    cwd: dataDir,
    env: { SPAN_STORAGE_TYPE: 'memory' },
    logFile: join(dataDir, 'logs', 'jaeger.log'),
  });
  try {
    await waitUntilReady(`http://127.0.0.1:${ports.ui}/api/services`, proc, 30_000);
    await openPort(ports.otlpHttp, 10_000, proc);
  } catch (err) {
    // Not yet among the stack's processes: the stack's shutdown would not stop it.
    await stopProcess(proc);
    throw err;
  }
  return proc;
}
