import { restartablePort } from './ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { EVENT_STREAM } from '../events/catalogue';
import type { EventEnvelope } from '../events/envelope';

export interface TestNats {
  url: string;
  /** Stops the server, keeping its store, and starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function waitForPortsFile(dir: string, child: ChildProcess): Promise<string> {
  for (let i = 0; i < 200; i += 1) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    const files = (await readdir(dir)).filter((f) => f.endsWith('.ports'));
    if (files[0]) {
      // The server creates the file before it writes it: an empty or partial file is read again.
      const text = await readFile(join(dir, files[0]), 'utf8');
      let ports: { nats?: string[] } | undefined;
      try {
        ports = JSON.parse(text) as { nats?: string[] };
      } catch {
        ports = undefined;
      }
      const url = ports?.nats?.find((u) => u.includes('127.0.0.1')) ?? ports?.nats?.[0];
      if (url) return url;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('nats-server did not report its port');
}

/** Starts a real `nats-server -js` on a free port with a throw-away store. */
export async function startNats(): Promise<TestNats> {
  const dir = await mkdtemp(join(tmpdir(), 'tf-nats-'));
  const bin = process.env.NATS_SERVER_BIN ?? 'nats-server';
  // A restart reuses the port, so clients reconnect: one below the ephemeral range, which no
  // other process is handed while this server is down.
  const launch = (port: string) =>
    spawn(
      bin,
      ['-js', '-sd', join(dir, 'store'), '-a', '127.0.0.1', '-p', port, '--ports_file_dir', dir],
      { stdio: 'ignore' },
    );
  const port = String(await restartablePort());
  let child = launch(port);
  const url = await waitForPortsFile(dir, child);

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  return {
    url,
    async restart() {
      child.kill('SIGTERM');
      await exited(child);
      for (const f of (await readdir(dir)).filter((name) => name.endsWith('.ports'))) {
        await rm(join(dir, f));
      }
      child = launch(port);
      await waitForPortsFile(dir, child);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Every event stored on the suite's stream, optionally only one subject's, oldest first. */
export async function readEvents(url: string, subject?: string): Promise<EventEnvelope[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    let info;
    try {
      info = await jsm.streams.info(EVENT_STREAM);
    } catch {
      return [];
    }
    const events: EventEnvelope[] = [];
    for (
      let seq = info.state.first_seq;
      seq <= info.state.last_seq && info.state.messages > 0;
      seq += 1
    ) {
      const stored = await jsm.streams.getMessage(EVENT_STREAM, { seq }).catch(() => null);
      if (!stored) continue;
      if (subject && stored.subject !== subject) continue;
      try {
        events.push(stored.json<EventEnvelope>());
      } catch {
        // Not an event (a test's deliberately malformed message): skip it.
      }
    }
    return events;
  } finally {
    await nc.close();
  }
}

/** Polls until `check` returns a truthy value (or throws after the timeout). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  { timeoutMs = 10_000, intervalMs = 50 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw lastError instanceof Error ? lastError : new Error('waitFor timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Waits until a durable consumer of the event stream has handled every message stored when it
 * was called: delivered up to the stream's last sequence, nothing pending, nothing unacked.
 *
 * `num_pending` alone is not enough: nats-server counts a new message for its consumers on a
 * loop of its own after it acknowledges the publish, so right after `publish()` resolves a
 * consumer can report nothing pending for a message it has not seen. The stream's last sequence
 * is current when the publish is acknowledged, and the consumer's delivered sequence only moves
 * when it hands the message out. For consumers without a subject filter, which every durable of
 * the suite is.
 */
export async function consumerSettled(
  jsm: JetStreamManager,
  durable: string,
  { timeoutMs = 10_000, intervalMs = 50, stream = EVENT_STREAM } = {},
): Promise<void> {
  const config = (await jsm.consumers.info(stream, durable)).config;
  if (config.filter_subject || config.filter_subjects?.length) {
    throw new Error(`consumerSettled: ${durable} filters subjects, so it never reaches the end`);
  }
  const { state } = await jsm.streams.info(stream);
  await waitFor(
    async () => {
      const info = await jsm.consumers.info(stream, durable);
      return (
        info.delivered.stream_seq >= state.last_seq &&
        info.num_pending === 0 &&
        info.num_ack_pending === 0
      );
    },
    { timeoutMs, intervalMs },
  );
}
