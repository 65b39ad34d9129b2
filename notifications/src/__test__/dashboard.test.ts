import { readFileSync } from 'node:fs';
import path from 'node:path';

const DASHBOARD = path.resolve(__dirname, '../../../infra/grafana/taskforge.json');

/**
 * The metrics the services serve, as issue 19's contract names them (common's, notifications',
 * the HTTP histogram's series and the prom-client defaults the dashboard reads). A panel reading
 * anything else would show nothing without saying so.
 */
const SERVED = new Set([
  'outbox_pending_events',
  'outbox_oldest_pending_age_seconds',
  'event_consumer_pending_messages',
  'event_consumer_ack_pending_messages',
  'event_consumer_redelivered_messages',
  'events_redelivered_total',
  'events_handled_total',
  'http_request_duration_seconds_bucket',
  'http_request_duration_seconds_sum',
  'http_request_duration_seconds_count',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
  'sse_connections',
  'email_queue_jobs',
  'emails_sent_total',
  'emails_failed_total',
]);

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

interface Panel {
  type: string;
  title?: string;
  datasource?: { type: string; uid: string };
  targets?: Array<{ expr?: string }>;
  panels?: Panel[];
}

interface Dashboard {
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
}

/** The metric names a PromQL expression reads. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // label values and other strings
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ') // label lists
    .replace(/\$\{?\w+\}?/g, ' '); // dashboard variables
  const names: string[] = [];
  for (const match of bare.matchAll(/[a-zA-Z_:][\w:]*(?=\s*(\()?)/g)) {
    const [name, call] = [match[0], match[1]];
    if (call || PROMQL_WORDS.has(name)) continue; // a function, or a keyword
    names.push(name);
  }
  return names;
}

function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...allPanels(panel.panels ?? [])]);
}

const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as Dashboard;
const exprs = allPanels(dashboard.panels).flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr ?? '' })),
);

describe('the Grafana dashboard (infra/grafana/taskforge.json)', () => {
  it('reads only metrics the services serve', () => {
    const unknown = exprs.flatMap(({ panel, expr }) =>
      metricNames(expr)
        .filter((name) => !SERVED.has(name))
        .map((name) => `${panel}: ${name}`),
    );
    expect(exprs.length).toBeGreaterThan(10);
    expect(unknown).toEqual([]);
  });

  it('reads every metric the services serve somewhere', () => {
    const read = new Set(exprs.flatMap(({ expr }) => metricNames(expr)));
    const unread = [...SERVED].filter(
      (name) => !read.has(name) && name !== 'http_request_duration_seconds_sum',
    );
    expect(unread).toEqual([]);
  });

  it('picks its Prometheus through ${datasource} and filters every query by ${service}', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(38);
    const variables = dashboard.templating.list.map(({ name, type }) => ({ name, type }));
    expect(variables).toEqual([
      { name: 'datasource', type: 'datasource' },
      { name: 'service', type: 'query' },
    ]);
    for (const panel of allPanels(dashboard.panels).filter(({ type }) => type !== 'row')) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({
        panel: panel.title,
        datasource: { type: 'prometheus', uid: '${datasource}' },
      });
    }
    const service = dashboard.templating.list[1]!;
    // Every service serves the HTTP histogram, so its `service` labels list them all.
    expect(service.definition).toBe('label_values(http_request_duration_seconds_count, service)');
    for (const { panel, expr } of exprs) {
      expect({ panel, filtered: expr.includes('service=~"$service"') }).toEqual({
        panel,
        filtered: true,
      });
    }
  });

  it('finds names in PromQL the way the checks above rely on', () => {
    const expr =
      'histogram_quantile(0.99, sum by (service, route, le) (rate(' +
      'http_request_duration_seconds_bucket{service=~"$service", status=~"5.."}[$__rate_interval]' +
      '))) / on (service) group_left foo_total';
    expect(metricNames(expr)).toEqual(['http_request_duration_seconds_bucket', 'foo_total']);
  });
});
