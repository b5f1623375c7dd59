/* Durability figures for `npm run bench` (issue 12): checkpoint cost at 1,000 models x 20
 * features, the longest event-loop stall during a checkpoint, restore time, and ingest and
 * scrape with checkpoints on as ratios to the same run with them off. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config.js';
import { Checkpointer as CheckpointerClass } from '../durable/checkpointer.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import { Monitor } from '../ingest/monitor.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../store/database.js';
import { SnapshotStore } from '../store/snapshot-store.js';
import { startServer, type RunningServer } from '../app/root.js';
import type { Command, Reply } from './client-protocol.js';
import { EVENTS_PER_BATCH } from './client-protocol.js';
import { events, labelFor, prng, referenceSample } from '../demo/synthetic-traffic.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const out = (s: string) => process.stdout.write(`${s}\n`);

export interface BenchClient {
  run(c: Command): Promise<{ reply: Reply; serverCpuMs: number }>;
}

async function start(dataDir: string, checkpointSeconds: number, now?: () => number): Promise<RunningServer> {
  const config = loadConfig({
    MODELWATCH_PORT: '0',
    MODELWATCH_HOST: '127.0.0.1',
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_ADMIN_TOKEN: TOKEN,
    MODELWATCH_LOG_LEVEL: 'silent',
    MODELWATCH_CHECKPOINT_SECONDS: String(checkpointSeconds),
  });
  return startServer({ config, now });
}

/** Longest gap between 1 ms timer ticks while `work` runs: how long the event loop was held. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number }> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const t = performance.now();
    worst = Math.max(worst, t - last);
    last = t;
  }, 1);
  try {
    const result = await work();
    return { result, stallMs: worst };
  } finally {
    clearInterval(ticker);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

/**
 * Heap and array-buffer bytes per pending prediction (binary classifier with a score, ids of
 * 36 characters like UUIDs), over `n` entries; needs --expose-gc for a stable figure.
 */
function pendingBytesPerEntry(n: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  const config = loadConfig({
    MODELWATCH_PENDING_PREDICTIONS_PER_MODEL: String(n),
    MODELWATCH_PENDING_PREDICTIONS_TOTAL: String(n),
    MODELWATCH_LOG_LEVEL: 'silent',
  });
  const m = new Monitor(config, Date.now);
  const used = () => {
    gc?.();
    gc?.();
    const u = process.memoryUsage();
    return u.heapUsed + u.arrayBuffers;
  };
  const before = used();
  for (let b = 0; b < n; b += 1000) {
    const batch = Array.from({ length: 1000 }, (_, k) => ({
      id: `${(b + k).toString(16).padStart(8, '0')}-1b9d-4bad-9bdd-2b0d7b3dcb6d`,
      features: {},
      prediction: k % 2 ? '1' : '0',
      score: (k % 100) / 100,
    }));
    m.applyPredictions({ model: 'pending', version: 'v1', events: batch });
  }
  return (used() - before) / m.pendingCount;
}

export async function durabilityFigures(client: BenchClient): Promise<void> {
  const perEntry = pendingBytesPerEntry(500_000);
  const defaults = loadConfig({});
  out(
    `pending predictions: ${perEntry.toFixed(0)} bytes each (36-character ids, binary score); at the default bounds ${fmt(defaults.pendingPredictionsTotal)} total = ${((perEntry * defaults.pendingPredictionsTotal) / 1048576).toFixed(0)} MiB, ${fmt(defaults.pendingPredictionsPerModel)} per model = ${((perEntry * defaults.pendingPredictionsPerModel) / 1048576).toFixed(0)} MiB`,
  );

  // Ingest over HTTP, checkpoints every second (a worst case; the default is 5 s) vs none.
  const rates: Record<string, number[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ['off', 'on'] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bench-durable-'));
      const s = await start(dir, mode === 'on' ? 1 : 0);
      const batches = 300;
      const { reply } = await client.run({ type: 'ingest', url: s.url, token: TOKEN, batches, warmup: 40, concurrency: 4 });
      if (reply.type !== 'ingest') throw new Error('unexpected reply');
      rates[mode].push((batches * EVENTS_PER_BATCH) / reply.seconds);
      await s.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const ingestRatio = median(rates.on) / median(rates.off);

  // The fleet: 1,000 models x 20 features, 15 simulated minutes of traffic (windows filled).
  let simNow = Date.UTC(2030, 0, 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bench-durable-'));
  const s = await start(dir, 0, () => simNow);
  const monitor = s.parts.monitor;
  const checkpointer = s.parts.checkpointer;
  const rand = prng(11);
  const models = 1000;
  const names = Array.from({ length: models }, (_, m) => `model-${String(m).padStart(4, '0')}`);
  const ref = referenceSample(rand, 1000);
  const { profile } = buildReferenceProfile(ref, {
    maxFeatures: s.parts.config.limits.maxFeaturesPerModel,
    maxCategories: s.parts.config.limits.maxCategoriesPerFeature,
  });
  for (const model of names) {
    monitor.applyReference(model, 'v1', profile!);
    await checkpointer.ensure(model);
  }
  const minute = (share = 1) => {
    simNow += 60_000;
    for (let m = 0; m < models * share; m++) {
      const batch = events(rand, 5, `${simNow}-`, (m % 10) * 0.05, 0.5);
      monitor.applyPredictions({ model: names[m], version: 'v1', events: batch as PredictionsBody['events'] });
      const waiting = batch.filter((e) => e.label === undefined).slice(0, 1);
      if (waiting.length) monitor.applyFeedback({ model: names[m], events: waiting.map((e) => ({ id: e.id, label: labelFor(e, rand) })) });
    }
  };
  for (let i = 0; i < 15; i++) minute();

  const full = await longestStall(() => checkpointer.checkpoint());
  minute();
  const all = await longestStall(() => checkpointer.checkpoint());
  minute(0.1);
  const tenth = await longestStall(() => checkpointer.checkpoint());
  const idle = await checkpointer.checkpoint();

  // Scrape with a checkpoint running alongside vs alone, after a minute of traffic each time.
  const scrapes: Record<string, number[]> = { on: [], off: [] };
  for (let i = 0; i < 5; i++) {
    for (const mode of ['off', 'on'] as const) {
      minute();
      const running = mode === 'on' ? checkpointer.checkpoint() : Promise.resolve();
      const { reply } = await client.run({ type: 'scrape', url: s.url, token: TOKEN });
      await running;
      if (reply.type === 'scrape') scrapes[mode].push(reply.ms);
    }
  }
  const scrapeRatio = median(scrapes.on) / median(scrapes.off);
  await checkpointer.checkpoint();
  await s.close();

  // Restore at start: the fleet's snapshots into a fresh monitor with the references applied.
  const config = loadConfig({ MODELWATCH_DATA_DIR: dir, MODELWATCH_LOG_LEVEL: 'silent' });
  const db = await openDatabase({ sqlitePath: config.sqlitePath });
  const fresh = new Monitor(config, () => simNow);
  for (const model of names) fresh.applyReference(model, 'v1', profile!);
  const store = new SnapshotStore(db.db);
  const size = await store.size();
  const restorer = new CheckpointerClass({
    monitor: fresh,
    store,
    log: createLogger('silent'),
    intervalMs: 0,
    windowMs: config.windowSeconds * 1000,
    now: () => simNow,
  });
  const restore = await longestStall(() => restorer.restoreAll());
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const line = (what: string, c: { result: { durationMs: number; bytes: number; models: number }; stallMs: number }) =>
    out(
      `  ${what}: ${c.result.durationMs.toFixed(0)} ms, ${kib(c.result.bytes)} (${fmt(c.result.models)} models written), longest event-loop stall ${c.stallMs.toFixed(1)} ms`,
    );
  out(`checkpoints at ${fmt(models)} models x 20 features (SQLite; 15 simulated minutes of traffic in the windows):`);
  line('first (everything)', full);
  line('after a minute of traffic to every model', all);
  line('after a minute of traffic to 10% of models', tenth);
  out(`  nothing changed: ${idle.durationMs.toFixed(1)} ms, ${kib(idle.bytes)}`);
  out(`  store holds ${fmt(size.models)} model rows + ${fmt(size.versions)} version rows, ${kib(size.bytes)}`);
  out(
    `restore at start: ${restore.result.durationMs.toFixed(0)} ms for ${fmt(restore.result.models)} models (longest event-loop stall ${restore.stallMs.toFixed(1)} ms)`,
  );
  out(
    `ingest with checkpoints every 1 s vs off: ${fmt(median(rates.on))} vs ${fmt(median(rates.off))} events/s, ratio ${ingestRatio.toFixed(3)} (target >= 0.90)`,
  );
  out(
    `scrape while a checkpoint runs vs alone: median ${median(scrapes.on).toFixed(0)} vs ${median(scrapes.off).toFixed(0)} ms, ratio ${scrapeRatio.toFixed(3)} (target <= 1.10)`,
  );
}
