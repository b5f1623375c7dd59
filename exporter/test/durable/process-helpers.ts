import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startExporter, type ExporterOptions, type RunningExporter } from '@modelwatch/test-support';
import { afterAll, beforeAll } from 'vitest';
import { shouldSkipPostgres, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import type { ClassificationCase } from '../stats/reference-data.js';
import { CATALOG_NAMES } from '../../src/metrics/catalog.js';
import { parseExposition } from '../ingest/helpers.js';

/** Process-wide series a restart resets (Prometheus handles counter resets); everything else must survive. */
const RESET_BY_RESTART = new Set([
  'modelwatch_ingested_events_total',
  'modelwatch_dropped_total',
  'modelwatch_checkpoints_total',
  'modelwatch_journal_bytes',
  'modelwatch_journal_batches',
  'modelwatch_journal_rejected_total',
  'modelwatch_journal_replayed_total',
  'modelwatch_journal_replayed_events_total',
  'modelwatch_checkpoint_duration_seconds',
  'modelwatch_checkpoint_bytes',
  'modelwatch_last_checkpoint_timestamp_seconds',
  'modelwatch_snapshots_skipped_total',
  'modelwatch_webhook_deliveries_total',
  'modelwatch_webhook_pending_deliveries',
  'modelwatch_alerts_received_total',
  'modelwatch_scrape_errors_total',
  'modelwatch_build_info',
]);

export async function metrics(e: RunningExporter): Promise<Map<string, number>> {
  const res = await fetch(`${e.url}/metrics`);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return parseExposition(await res.text());
}

/** The catalog's series, without those a restart resets. */
export async function durableSeries(e: RunningExporter): Promise<Map<string, number>> {
  const names = new Set(CATALOG_NAMES.filter((n) => !RESET_BY_RESTART.has(n)));
  return new Map([...(await metrics(e))].filter(([k]) => names.has(k.replace(/\{.*$/, '').replace(/_(bucket|sum|count)$/, ''))));
}

/** The exporter from dist with a fixed admin token and data dir, so a restart is the same deployment. */
export function exporter(dataDir: string, env: Record<string, string>, extra: Partial<ExporterOptions> = {}): Promise<RunningExporter> {
  return startExporter({ dataDir, adminToken: 'durable-test-admin-token-0123456789', env, ...extra });
}

export async function post(e: RunningExporter, path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await e.api('POST', path, body);
  if (r.status !== 200 && r.status !== 201) throw new Error(`${path} answered ${r.status}: ${JSON.stringify(r.data)}`);
  return r.data as Record<string, unknown>;
}

/** SIGKILL: no shutdown hook runs, exactly like an OOM kill. */
export async function kill9(e: RunningExporter): Promise<void> {
  e.child.process.kill('SIGKILL');
  await e.stop();
}

export interface SlowReceiver {
  url: string;
  /** Delivery ids received, in order (a retry repeats its id). */
  ids: string[];
  bodies: string[];
  /** Milliseconds before each answer. */
  delayMs: number;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that can answer slowly (to be killed mid-delivery). */
export async function startSlowReceiver(): Promise<SlowReceiver> {
  const r: SlowReceiver = { url: '', ids: [], bodies: [], delayMs: 0, close: async () => undefined };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      r.ids.push(String(req.headers['x-modelwatch-delivery']));
      r.bodies.push(body);
      setTimeout(() => res.writeHead(200).end('ok'), r.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  r.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return r;
}

/**
 * The hooks every process test file needs: a real PostgreSQL (unless skipped), temporary data
 * folders and the exporters started, all removed after the file. `pg()` is the server, read
 * inside a test (it starts in beforeAll).
 */
export function processFixture(dirPrefix: string) {
  const skipPg = shouldSkipPostgres();
  let pg: TestPostgres | undefined;
  const dirs: string[] = [];
  const running: RunningExporter[] = [];
  beforeAll(async () => {
    if (!skipPg) pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    for (const e of running) await e.stop().catch(() => undefined);
    await pg?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  return {
    skipPg,
    pg: (): TestPostgres => pg!,
    /** A fresh data folder, removed after the file. */
    tempDir(): string {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), dirPrefix));
      dirs.push(d);
      return d;
    },
    /** A real exporter process on `dataDir`, stopped after the file. */
    async start(dataDir: string, env: Record<string, string>): Promise<RunningExporter> {
      const e = await exporter(dataDir, env);
      running.push(e);
      return e;
    },
  };
}

/** Labels for events [from, to) of a reference case, with the ids its prediction events use (`e<i>`). */
export const labelEvents = (c: ClassificationCase, from: number, to: number) =>
  c.events.slice(from, to).map((e, k) => ({ id: `e${from + k}`, label: c.classNames[e.t] }));
