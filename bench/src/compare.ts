import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BenchResults } from './report';

/*
 * Before/after: two result files of `npm run bench` (the code before the fixes, built from its
 * commit, and after) side by side, each figure as a share of its own run's baseline too, since
 * the two runs met different noise. Usage:
 *   tsx bench/src/compare.ts --before a.json --after b.json --notes notes.md --out fixes.md
 */
const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string' },
    notes: { type: 'string' },
    out: { type: 'string' },
  },
});
if (!values.before || !values.after || !values.out) {
  throw new Error('--before, --after and --out are required');
}
const before = JSON.parse(readFileSync(values.before, 'utf8')) as BenchResults;
const after = JSON.parse(readFileSync(values.after, 'utf8')) as BenchResults;

const baseline = (r: BenchResults) => r.baseline.reduce((s, b) => s + b.rps, 0) / r.baseline.length;
const pct = (value: number, base: number) => `${((value / base) * 100).toFixed(1)} %`;
const change = (from: number, to: number) =>
  `${to >= from ? '+' : '−'}${Math.abs(((to - from) / from) * 100).toFixed(0)} %`;

const lines: string[] = [];
if (values.notes) lines.push(readFileSync(values.notes, 'utf8').trim(), '');
lines.push(
  `Before: ${before.date} (${before.label || 'no label'}); after: ${after.date}. Raw node:http ` +
    `baseline ${baseline(before).toFixed(0)} and ${baseline(after).toFixed(0)} req/s.`,
  '',
  '### HTTP',
  '',
  '| route | req/s before → after | p99 ms before → after | share of raw node:http before → after | errors + non-2xx before → after |',
  '| --- | --- | --- | --- | --- |',
);
for (const row of after.http) {
  const old = before.http.find((r) => r.route === row.route);
  if (!old) continue;
  lines.push(
    `| \`${row.route}\` | ${old.rps.toFixed(0)} → ${row.rps.toFixed(0)} (${change(old.rps, row.rps)}) | ` +
      `${old.p99Ms} → ${row.p99Ms} | ${pct(old.rps, baseline(before))} → ${pct(row.rps, baseline(after))} | ` +
      `${old.errors + old.non2xx} → ${row.errors + row.non2xx} |`,
  );
}
if (before.events && after.events) {
  const b = before.events;
  const a = after.events;
  lines.push(
    '',
    '### Events',
    '',
    '| measure | before | after |',
    '| --- | --- | --- |',
    `| assignment → SSE p50 / p99 ms | ${b.endToEnd.p50Ms} / ${b.endToEnd.p99Ms} | ${a.endToEnd.p50Ms} / ${a.endToEnd.p99Ms} |`,
    `| lost / failed writes (steady) | ${b.endToEnd.lost} / ${b.endToEnd.failedWrites ?? 0} | ${a.endToEnd.lost} / ${a.endToEnd.failedWrites ?? 0} |`,
    `| sustained events/s (share of raw JetStream) | ${b.throughput.eventsPerS.toFixed(0)} (${pct(b.throughput.eventsPerS, b.rawThroughput.eventsPerS)}) | ${a.throughput.eventsPerS.toFixed(0)} (${pct(a.throughput.eventsPerS, a.rawThroughput.eventsPerS)}) |`,
    `| burst writes failed | ${b.throughput.failedWrites} | ${a.throughput.failedWrites} |`,
  );
}
if (before.growth && after.growth) {
  lines.push(
    '',
    '### Growth (p50 ms, before → after)',
    '',
    '| tasks | list | filter | stats (computed) | stats (cached; after only) | update |',
    '| --- | --- | --- | --- | --- | --- |',
  );
  for (const row of after.growth) {
    const old = before.growth.find((g) => g.tasks === row.tasks);
    if (!old) continue;
    const cell = (k: 'list' | 'filter' | 'stats' | 'update') => `${old[k].p50Ms} → ${row[k].p50Ms}`;
    lines.push(
      `| ${row.tasks.toLocaleString('en')} | ${cell('list')} | ${cell('filter')} | ${cell('stats')} | ` +
        `${row.statsCached?.p50Ms ?? '–'} | ${cell('update')} |`,
    );
  }
}
writeFileSync(values.out, `${lines.join('\n')}\n`);
