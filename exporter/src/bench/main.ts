/* Performance figures for the ingest + monitoring pipeline (`npm run bench`). Each figure is
 * printed with its ratio to a baseline measured in the same run on the same machine. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gauge, Registry } from 'prom-client';
import { loadConfig } from '../config/config.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { startServer, type RunningServer } from '../app/root.js';
import { EVENTS_PER_BATCH, ingestTraffic, type Command, type Reply } from './client-protocol.js';
import { events, labelFor, prng, referenceSample, type SyntheticEvent } from '../demo/synthetic-traffic.js';
import { durabilityFigures } from './durability.js';
import { auditVerifyFigures } from './audit-verify.js';
import { ingestPathFigures } from './ingest-path.js';
import { scoreWindowBytes } from './window-memory.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const out = (s: string) => process.stdout.write(`${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

async function start(now?: () => number, env: Record<string, string> = {}): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bench-'));
  const config = loadConfig({
    MODELWATCH_PORT: '0',
    MODELWATCH_HOST: '127.0.0.1',
    MODELWATCH_DATA_DIR: dataDir,
    MODELWATCH_ADMIN_TOKEN: TOKEN,
    MODELWATCH_LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer({ config, now });
}

/**
 * The HTTP client, in a child process (bench/load-generator.ts): its work — building requests,
 * reading responses, its garbage — runs on its own event loop and heap, not the server's.
 */
class LoadGenerator {
  private readonly child: ChildProcess;
  private waiting?: { resolve: (r: Reply) => void; reject: (e: Error) => void };

  constructor() {
    this.child = fork(fileURLToPath(new URL('./load-generator.js', import.meta.url)), [], {
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (r: Reply) => {
      const w = this.waiting;
      this.waiting = undefined;
      if (r.type === 'error') w?.reject(new Error(`load generator: ${r.message}`));
      else w?.resolve(r);
    });
    this.child.on('exit', (code) => this.waiting?.reject(new Error(`load generator exited (${code})`)));
  }

  /** Runs one command; also returns the CPU time the server process (this one) spent meanwhile. */
  async run<T extends Reply['type']>(c: Command & { type: T }): Promise<{ reply: Extract<Reply, { type: T }>; serverCpuMs: number }> {
    if (this.waiting) throw new Error('one command at a time');
    const cpu = process.cpuUsage();
    const reply = await new Promise<Reply>((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.child.send(c);
    });
    const used = process.cpuUsage(cpu);
    return { reply: reply as Extract<Reply, { type: T }>, serverCpuMs: (used.user + used.system) / 1000 };
  }

  close(): void {
    this.child.disconnect();
  }
}

/** (1) Ingest throughput over HTTP on loopback, 1,000-event batches with 20 features. */
async function ingestThroughput(client: LoadGenerator): Promise<void> {
  const s = await start();
  const batches = 300;
  const { reply, serverCpuMs } = await client.run({ type: 'ingest', url: s.url, token: TOKEN, batches, warmup: 40, concurrency: 4 });
  const events = batches * EVENTS_PER_BATCH;
  const rate = events / reply.seconds;
  const cpuRate = events / (serverCpuMs / 1000);

  const { bodies } = ingestTraffic();
  const parseRates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const p0 = performance.now();
    for (let i = 0; i < batches; i++) JSON.parse(bodies[i % bodies.length]);
    parseRates.push(events / ((performance.now() - p0) / 1000));
  }
  const parseRate = median(parseRates);
  out(
    `ingest throughput: ${fmt(rate)} events/s over HTTP from a separate client process (${batches} batches x ${fmt(EVENTS_PER_BATCH)} events x 20 features, ${fmt(bodies[0].length / 1024)} KiB each; target >= 100,000)`,
  );
  out(`  server CPU: ${fmt(cpuRate)} events per CPU-second (${(serverCpuMs / reply.seconds / 10).toFixed(0)}% of one core while sending)`);
  out(
    `  baseline JSON.parse of the same bodies: ${fmt(parseRate)} events/s; ratio ingest/baseline = ${(rate / parseRate).toFixed(3)} (per server CPU-second: ${(cpuRate / parseRate).toFixed(3)})`,
  );
  await s.close();
}

/**
 * (1b) The same ingest with the write-ahead journal (the default, above) against without it
 * (MODELWATCH_JOURNAL=false), alternating fresh servers so that load drifts hit both alike.
 */
async function journalThroughput(client: LoadGenerator): Promise<void> {
  const batches = 300;
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let round = 0; round < 3; round++) {
    for (const mode of ['off', 'on'] as const) {
      const s = await start(undefined, { MODELWATCH_JOURNAL: mode === 'on' ? 'true' : 'false' });
      const { reply, serverCpuMs } = await client.run({ type: 'ingest', url: s.url, token: TOKEN, batches, warmup: 40, concurrency: 4 });
      rates[mode].push((batches * EVENTS_PER_BATCH) / reply.seconds);
      cpu[mode].push((batches * EVENTS_PER_BATCH) / (serverCpuMs / 1000));
      await s.close();
    }
  }
  const on = median(rates.on);
  const off = median(rates.off);
  out(
    `ingest with the write-ahead journal (SQLite, synchronous=FULL, group commit): median ${fmt(on)} events/s vs ${fmt(off)} without; ratio on/off = ${(on / off).toFixed(3)} (target >= 0.90)`,
  );
  out(
    `  per server CPU-second: ${fmt(median(cpu.on))} vs ${fmt(median(cpu.off))}; ratio = ${(median(cpu.on) / median(cpu.off)).toFixed(3)}`,
  );
}

/**
 * (3) Memory after 1 h of simulated traffic at 1,000 models x 20 features, and (2) the scrape
 * of that state. Events go straight to the Monitor (HTTP cost is figure 1), 5 per model and
 * simulated minute; half carry labels, the other half get feedback 5 simulated minutes later.
 */
async function fleet(client: LoadGenerator): Promise<void> {
  let simNow = Date.UTC(2030, 0, 1);
  const s = await start(() => simNow);
  const monitor = s.parts.monitor;
  const rand = prng(7);
  const models = 1000;
  const ref = referenceSample(rand, 1000);
  const { profile } = buildReferenceProfile(ref, {
    maxFeatures: s.parts.config.limits.maxFeaturesPerModel,
    maxCategories: s.parts.config.limits.maxCategoriesPerFeature,
  });
  for (let m = 0; m < models; m++) monitor.applyReference(`model-${String(m).padStart(4, '0')}`, 'v1', profile!);
  const perMinute = 5;
  const unlabeled: Array<Array<{ model: string; e: SyntheticEvent }>> = [];
  const rss: Record<number, { rss: number; heap: number; external: number }> = {};
  const t0 = performance.now();
  for (let minute = 1; minute <= 60; minute++) {
    simNow += 60_000;
    const waiting: Array<{ model: string; e: SyntheticEvent }> = [];
    for (let m = 0; m < models; m++) {
      const model = `model-${String(m).padStart(4, '0')}`;
      const batch = events(rand, perMinute, `${minute}-`, (m % 10) * 0.05, 0.5);
      const body: PredictionsBody = { model, version: 'v1', events: batch as PredictionsBody['events'] };
      monitor.applyPredictions(body);
      for (const e of batch) if (e.label === undefined) waiting.push({ model, e });
    }
    unlabeled.push(waiting);
    if (unlabeled.length > 5) {
      const due = unlabeled.shift()!;
      const byModel = new Map<string, Array<{ id: string; label: string }>>();
      for (const { model, e } of due) {
        let list = byModel.get(model);
        if (!list) byModel.set(model, (list = []));
        list.push({ id: e.id, label: labelFor(e, rand) });
      }
      for (const [model, list] of byModel) monitor.applyFeedback({ model, events: list });
    }
    if (minute % 5 === 0) await client.run({ type: 'scrape', url: s.url, token: TOKEN });
    if (minute === 30 || minute === 60) {
      gc?.();
      gc?.();
      const mu = process.memoryUsage();
      rss[minute] = { rss: mu.rss, heap: mu.heapUsed, external: mu.external }; // external includes arrayBuffers
    }
  }
  const simSeconds = (performance.now() - t0) / 1000;
  const growth = (rss[60].rss - rss[30].rss) / rss[30].rss;
  out(
    `memory after 1 h simulated (${models} models x 20 features, ${fmt(models * 60 * perMinute)} events in ${simSeconds.toFixed(1)} s, pending joins ${fmt(monitor.pendingCount)}):`,
  );
  out(`  RSS ${mb(rss[60].rss)} at 60 min vs ${mb(rss[30].rss)} at 30 min: growth ${(growth * 100).toFixed(2)}% (target < 5%)`);
  out(
    `  heap ${mb(rss[60].heap)} (${mb(rss[30].heap)} at 30 min), typed arrays/external ${mb(rss[60].external)} (${mb(rss[30].external)} at 30 min)`,
  );

  // (2) scrape time and size at this state: "changed" scrapes follow a simulated minute of
  // traffic to every model (every version re-rendered, the worst case), "unchanged" ones
  // follow each other (versions' cached text reused).
  const minute = (m: number) => {
    simNow += 60_000;
    for (let i = 0; i < models; i++) {
      const model = `model-${String(i).padStart(4, '0')}`;
      monitor.applyPredictions({
        model,
        version: 'v1',
        events: events(rand, perMinute, `${m}-`, (i % 10) * 0.05, 1) as PredictionsBody['events'],
      });
    }
  };
  const changed: number[] = [];
  const changedCpu: number[] = [];
  const unchanged: number[] = [];
  const unchangedCpu: number[] = [];
  for (let i = 0; i < 7; i++) {
    minute(61 + i);
    let r = await client.run({ type: 'scrape', url: s.url, token: TOKEN });
    changed.push(r.reply.ms);
    changedCpu.push(r.serverCpuMs);
    r = await client.run({ type: 'scrape', url: s.url, token: TOKEN });
    unchanged.push(r.reply.ms);
    unchangedCpu.push(r.serverCpuMs);
  }
  const { reply: counted } = await client.run({ type: 'scrape', url: s.url, token: TOKEN, count: true });
  const size = counted.bytes;
  const seriesCount = counted.series ?? 0;
  const inProcess: number[] = [];
  for (let i = 0; i < 5; i++) {
    minute(70 + i);
    const a = performance.now();
    await s.parts.metrics.render('prometheus');
    inProcess.push(performance.now() - a);
  }
  const range = (xs: number[]) => `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;
  const baseline = await promClientBaseline(seriesCount);
  out(`scrape /metrics over HTTP from a separate client process, ${mb(size)}, ${fmt(seriesCount)} monitoring series (target <= 150 ms):`);
  out(
    `  every version changed since the last scrape: median ${median(changed).toFixed(0)} ms (${range(changed)}), server CPU median ${median(changedCpu).toFixed(0)} ms; ratio to baseline = ${(median(changed) / baseline).toFixed(3)}`,
  );
  out(
    `  nothing changed since the last scrape: median ${median(unchanged).toFixed(0)} ms (${range(unchanged)}), server CPU median ${median(unchangedCpu).toFixed(0)} ms; ratio to baseline = ${(median(unchanged) / baseline).toFixed(3)}`,
  );
  out(`  of which rendering the body in-process (every version changed): median ${median(inProcess).toFixed(0)} ms`);
  // Accept-Encoding: gzip (what Prometheus sends): bytes on the wire and time including the client's gunzip.
  const gzipped: number[] = [];
  const gzippedCpu: number[] = [];
  let wire = 0;
  for (let i = 0; i < 5; i++) {
    minute(80 + i);
    const r = await client.run({ type: 'scrape', url: s.url, token: TOKEN, gzip: true });
    gzipped.push(r.reply.ms);
    gzippedCpu.push(r.serverCpuMs);
    wire = r.reply.bytes;
  }
  out(
    `  with Accept-Encoding: gzip (every version changed): ${mb(wire)} on the wire (${(size / wire).toFixed(1)}x smaller), median ${median(gzipped).toFixed(0)} ms (${range(gzipped)}) including gunzip, server CPU median ${median(gzippedCpu).toFixed(0)} ms; ratio to identity = ${(median(gzipped) / median(changed)).toFixed(3)}`,
  );
  // Accept: OpenMetrics first (what Prometheus sends), identity and gzip.
  for (const gzip of [false, true]) {
    const times: number[] = [];
    const cpu: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      minute(90 + i + (gzip ? 5 : 0));
      const r = await client.run({ type: 'scrape', url: s.url, token: TOKEN, gzip, openmetrics: true });
      times.push(r.reply.ms);
      cpu.push(r.serverCpuMs);
      bytes = r.reply.bytes;
    }
    out(
      `  OpenMetrics${gzip ? ' with gzip' : ''} (every version changed): ${mb(bytes)} on the wire, median ${median(times).toFixed(0)} ms (${range(times)}), server CPU median ${median(cpu).toFixed(0)} ms; ratio to text${gzip ? ' with gzip' : ''} = ${(median(times) / median(gzip ? gzipped : changed)).toFixed(3)}`,
    );
  }
  out(`  baseline prom-client registry.metrics() for ${fmt(seriesCount)} gauge series: median ${baseline.toFixed(0)} ms`);
  await s.close();
}

/** prom-client's own Registry with the same number of labelled gauge series. */
async function promClientBaseline(series: number): Promise<number> {
  const registry = new Registry();
  const perFamily = Math.ceil(series / 20);
  for (let f = 0; f < 20; f++) {
    const g = new Gauge({
      name: `baseline_family_${f}`,
      help: 'baseline',
      labelNames: ['model', 'version', 'feature'],
      registers: [registry],
    });
    for (let i = 0; i < perFamily; i++)
      g.set({ model: `model-${String(i % 1000).padStart(4, '0')}`, version: 'v1', feature: `num_${Math.floor(i / 1000)}` }, Math.random());
  }
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    await registry.metrics();
    times.push(performance.now() - a);
  }
  return times.sort((a, b) => a - b)[2];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  out(
    `modelwatch bench (node ${process.version}, ${os.cpus().length} CPUs, load average ${load()}${gc ? '' : ', run with --expose-gc for stable memory figures'})`,
  );
  const client = new LoadGenerator();
  try {
    // BENCH_ONLY=ingest, journal, fleet, durability or audit runs just those figures (the others
    // take minutes); journal is the ingest figure with the write-ahead journal on against off alone.
    const only = process.env.BENCH_ONLY;
    if (only === 'journal') await journalThroughput(client);
    if (!only || only === 'ingest') {
      await ingestThroughput(client);
      ingestPathFigures(out, fmt);
      const auc = scoreWindowBytes(300);
      out(
        `ROC AUC score histograms: ${fmt(auc.first)} bytes per binary probabilities window after its first score, ${fmt(auc.full)} with its adaptive grid full (default window geometry, over 300 windows)`,
      );
      await journalThroughput(client);
    }
    if (!only || only === 'fleet') await fleet(client);
    if (!only || only === 'durability') await durabilityFigures(client);
    if (!only || only === 'audit') await auditVerifyFigures();
  } finally {
    client.close();
  }
  out(`load average at the end: ${load()}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
