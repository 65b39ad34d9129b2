import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS, SERVICES, SHARED_SERVICE_ENV, type App } from '..';

const duplicates = (values: readonly unknown[]) =>
  values.filter((value, index) => values.indexOf(value) !== index);

describe('the topology', () => {
  it('names each app, workspace, image and local port once', () => {
    for (const field of ['name', 'workspace', 'image', 'localPortOffset'] as const) {
      expect([field, duplicates(APPS.map((app) => app[field]))]).toEqual([field, []]);
    }
  });

  it('names workspaces of the repository, as npm needs them listed in its package.json', () => {
    const root = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'),
    ) as { workspaces: string[] };
    expect(root.workspaces).toEqual(expect.arrayContaining(APPS.map((app) => app.workspace)));
  });

  it("runs every app between the local stack's gateway (its base port) and its stores (10 up)", () => {
    for (const app of APPS)
      expect([app.name, app.localPortOffset > 0 && app.localPortOffset < 10]).toEqual([
        app.name,
        true,
      ]);
  });

  it.each(APPS.map((app): [string, App] => [app.name, app]))(
    'gives %s each variable once, from a store it uses',
    (_name, app) => {
      expect(duplicates(app.env.map((variable) => variable.name))).toEqual([]);
      const kinds = app.stores.map((store) => store.kind);
      for (const variable of app.env) {
        if (variable.from.kind === 'store') expect(kinds).toContain(variable.from.store);
        if (variable.onlyWith) expect(kinds).toContain(variable.onlyWith);
      }
    },
  );

  it('gives each MongoDB user a database of its own on a server of its own', () => {
    const mongos = SERVICES.flatMap((service) =>
      service.stores.filter((store) => store.kind === 'mongo'),
    );
    expect(mongos.every((store) => store.database && store.host)).toBe(true);
    expect(duplicates(mongos.map((store) => store.host))).toEqual([]);
  });

  it("makes only settings optional, and gives tracing's to every service but not the client", () => {
    const optional = APPS.flatMap((app) =>
      app.env.flatMap((variable) =>
        'optional' in variable ? [[app.name, variable.name, variable.from.kind]] : [],
      ),
    );
    expect(optional).toEqual(
      SERVICES.map((service) => [service.name, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'setting']),
    );
  });

  it("keeps Zipkin's two settings to the local stack, for every service but not the client", () => {
    const localOnly = APPS.flatMap((app) =>
      app.env.flatMap((variable) =>
        'localOnly' in variable ? [[app.name, variable.name, variable.from.kind]] : [],
      ),
    );
    expect(localOnly).toEqual(
      SERVICES.flatMap((service) => [
        [service.name, 'OTEL_TRACES_EXPORTER', 'setting'],
        [service.name, 'OTEL_EXPORTER_ZIPKIN_ENDPOINT', 'setting'],
      ]),
    );
  });

  it('gives every service the shared variables first', () => {
    for (const service of SERVICES) {
      expect(service.env.slice(0, SHARED_SERVICE_ENV.length)).toEqual(SHARED_SERVICE_ENV);
    }
  });
});
