import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { startOtlpReceiver, type OtlpReceiver } from '../otlp-receiver';

/** An export request as OTLP/HTTP JSON has it: spans grouped by resource, then by scope. */
function exportBody(service: string, scopes: number[]) {
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: scopes.map((n, scope) => ({
          scope: { name: `scope-${scope}` },
          spans: Array.from({ length: n }, (_, i) => ({
            traceId: '5b8efff798038103d269b633813fc60c',
            spanId: `eee19b7ec3c1b17${i}`,
            name: `GET /api/${i}`,
            kind: 2,
          })),
        })),
      },
    ],
  };
}

function post(
  url: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('the OTLP receiver', () => {
  let sink: OtlpReceiver;
  beforeEach(async () => {
    sink = await startOtlpReceiver();
  });
  afterEach(() => sink.stop());

  it('counts the spans of every scope of a JSON export, by service', async () => {
    const status = await post(
      `${sink.endpoint}/v1/traces`,
      Buffer.from(JSON.stringify(exportBody('tasks', [3, 2]))),
    );

    expect(status).toBe(200);
    expect(sink.counts()).toEqual({ total: 5, byService: { tasks: 5 } });
    expect(sink.busyMs()).toBeGreaterThan(0);
    // Each span kept, flattened, with its service.
    expect(sink.spans.map((s) => [s.service, s.name, s.kind])).toEqual([
      ['tasks', 'GET /api/0', 2],
      ['tasks', 'GET /api/1', 2],
      ['tasks', 'GET /api/2', 2],
      ['tasks', 'GET /api/0', 2],
      ['tasks', 'GET /api/1', 2],
    ]);
  });

  it('reads a gzipped export and adds it to what it already had', async () => {
    await post(`${sink.endpoint}/v1/traces`, Buffer.from(JSON.stringify(exportBody('auth', [1]))));
    const status = await post(
      `${sink.endpoint}/v1/traces`,
      gzipSync(JSON.stringify(exportBody('tasks', [4]))),
      { 'content-encoding': 'gzip' },
    );

    expect(status).toBe(200);
    expect(sink.counts()).toEqual({ total: 5, byService: { auth: 1, tasks: 4 } });
  });

  it('answers 400 to a body it cannot read and 404 elsewhere, counting nothing', async () => {
    expect(await post(`${sink.endpoint}/v1/traces`, Buffer.from('not json'))).toBe(400);
    expect(await post(`${sink.endpoint}/v1/metrics`, Buffer.from('{}'))).toBe(404);

    expect(sink.rejected()).toBe(1);
    expect(sink.counts()).toEqual({ total: 0, byService: {} });
  });
});

it('only counts, keeping no span, when asked to', async () => {
  const counting = await startOtlpReceiver({ keep: false });
  try {
    await post(
      `${counting.endpoint}/v1/traces`,
      Buffer.from(JSON.stringify(exportBody('tasks', [3]))),
    );
    expect(counting.counts()).toEqual({ total: 3, byService: { tasks: 3 } });
    expect(counting.spans).toEqual([]);
  } finally {
    await counting.stop();
  }
});
