/* Performance figures for the ingest + monitoring pipeline (`npm run bench`). Each figure is
 * printed with its ratio to a baseline measured in the same run on the same machine. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Gauge, Registry } from 'prom-client';
import { renderMetrics } from '../collectors/monitoring-exposition.js';
import { loadConfig } from '../config/config.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import type { Monitor } from '../ingest/monitor.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { startServer, type RunningServer } from '../server.js';
import { events, labelFor, prng, referenceSample, type SyntheticEvent } from './traffic.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';
const out = (s: string) => process.stdout.write(`${s}\n`);
const gc = (globalThis as { gc?: () => void }).gc;

async function start(now?: () => number): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelwatch-bench-'));
  const config = loadConfig({ MODELWATCH_PORT: '0', MODELWATCH_HOST: '127.0.0.1', MODELWATCH_DATA_DIR: dataDir, MODELWATCH_ADMIN_TOKEN: TOKEN, MODELWATCH_LOG_LEVEL: 'silent' });
  return startServer({ config, now });
}

function request(agent: http.Agent, url: string, method: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** (1) Ingest throughput over HTTP on loopback, 1,000-event batches with 20 features. */
async function ingestThroughput(): Promise<void> {
  const s = await start();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const rand = prng(1);
  const models = 20;
  for (let m = 0; m < models; m++) {
    const r = await request(agent, `${s.url}/api/v1/models/bench-${m}/versions/v1/reference`, 'PUT', JSON.stringify(referenceSample(rand, 2000)));
    if (r.status !== 200) throw new Error(`reference: ${r.status} ${r.body}`);
  }
  const bodies = Array.from({ length: 40 }, (_, b) => JSON.stringify({ model: `bench-${b % models}`, version: 'v1', events: events(rand, 1000, `b${b}-`, 0.2, 0.5) }));
  const batches = 300;
  const send = async (n: number) => {
    let next = 0;
    const worker = async () => {
      while (next < n) {
        const body = bodies[next++ % bodies.length];
        const r = await request(agent, `${s.url}/api/v1/predictions`, 'POST', body);
        if (r.status !== 200) throw new Error(`ingest: ${r.status} ${r.body.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  };
  await send(40); // warm-up
  const t0 = performance.now();
  await send(batches);
  const seconds = (performance.now() - t0) / 1000;
  const rate = (batches * 1000) / seconds;

  const p0 = performance.now();
  for (let i = 0; i < batches; i++) JSON.parse(bodies[i % bodies.length]);
  const parseRate = (batches * 1000) / ((performance.now() - p0) / 1000);
  out(`ingest throughput: ${fmt(rate)} events/s over HTTP (${batches} batches x 1,000 events x 20 features, ${fmt(bodies[0].length / 1024)} KiB each; target >= 100,000)`);
  out(`  baseline JSON.parse of the same bodies: ${fmt(parseRate)} events/s; ratio ingest/baseline = ${(rate / parseRate).toFixed(3)}`);
  agent.destroy();
  await s.close();
}

/**
 * (3) Memory after 1 h of simulated traffic at 1,000 models x 20 features, and (2) the scrape
 * of that state. Events go straight to the Monitor (HTTP cost is figure 1), 5 per model and
 * simulated minute; half carry labels, the other half get feedback 5 simulated minutes later.
 */
async function fleet(): Promise<void> {
  let simNow = Date.UTC(2030, 0, 1);
  const s = await start(() => simNow);
  const monitor = s.services.monitor as Monitor;
  const rand = prng(7);
  const models = 1000;
  const ref = referenceSample(rand, 1000);
  const { profile } = buildReferenceProfile(ref, { maxFeatures: s.ctx.config.limits.maxFeaturesPerModel, maxCategories: s.ctx.config.limits.maxCategoriesPerFeature });
  for (let m = 0; m < models; m++) monitor.applyReference(`model-${String(m).padStart(4, '0')}`, 'v1', profile!);
  const agent = new http.Agent({ keepAlive: true });
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
    if (minute % 5 === 0) await request(agent, `${s.url}/metrics`, 'GET');
    if (minute === 30 || minute === 60) {
      gc?.();
      gc?.();
      const mu = process.memoryUsage();
      rss[minute] = { rss: mu.rss, heap: mu.heapUsed, external: mu.external }; // external includes arrayBuffers
    }
  }
  const simSeconds = (performance.now() - t0) / 1000;
  const growth = (rss[60].rss - rss[30].rss) / rss[30].rss;
  out(`memory after 1 h simulated (${models} models x 20 features, ${fmt(models * 60 * perMinute)} events in ${simSeconds.toFixed(1)} s, pending joins ${fmt(monitor.pendingCount)}):`);
  out(`  RSS ${mb(rss[60].rss)} at 60 min vs ${mb(rss[30].rss)} at 30 min: growth ${(growth * 100).toFixed(2)}% (target < 5%)`);
  out(`  heap ${mb(rss[60].heap)} (${mb(rss[30].heap)} at 30 min), typed arrays/external ${mb(rss[60].external)} (${mb(rss[30].external)} at 30 min)`);

  // (2) scrape time and size at this state: "changed" scrapes follow a simulated minute of
  // traffic to every model (every version re-rendered, the worst case), "unchanged" ones
  // follow each other (versions' cached text reused).
  const minute = (m: number) => {
    simNow += 60_000;
    for (let i = 0; i < models; i++) {
      const model = `model-${String(i).padStart(4, '0')}`;
      monitor.applyPredictions({ model, version: 'v1', events: events(rand, perMinute, `${m}-`, (i % 10) * 0.05, 1) as PredictionsBody['events'] });
    }
  };
  const changed: number[] = [];
  const unchanged: number[] = [];
  let size = 0;
  let seriesCount = 0;
  for (let i = 0; i < 7; i++) {
    minute(61 + i);
    let a = performance.now();
    const r = await request(agent, `${s.url}/metrics`, 'GET');
    changed.push(performance.now() - a);
    a = performance.now();
    await request(agent, `${s.url}/metrics`, 'GET');
    unchanged.push(performance.now() - a);
    size = Buffer.byteLength(r.body);
    seriesCount = r.body.split('\n').filter((l) => l.startsWith('modelwatch_') && !l.startsWith('modelwatch_process_')).length;
  }
  const inProcess: number[] = [];
  for (let i = 0; i < 5; i++) {
    minute(70 + i);
    const a = performance.now();
    await renderMetrics(s.ctx.metrics);
    inProcess.push(performance.now() - a);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const range = (xs: number[]) => `min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}`;
  const baseline = await promClientBaseline(seriesCount);
  out(`scrape /metrics over HTTP, ${mb(size)}, ${fmt(seriesCount)} monitoring series (target <= 150 ms):`);
  out(`  every version changed since the last scrape: median ${median(changed).toFixed(0)} ms (${range(changed)}); ratio to baseline = ${(median(changed) / baseline).toFixed(3)}`);
  out(`  nothing changed since the last scrape: median ${median(unchanged).toFixed(0)} ms (${range(unchanged)}); ratio to baseline = ${(median(unchanged) / baseline).toFixed(3)}`);
  out(`  of which rendering the body in-process (every version changed): median ${median(inProcess).toFixed(0)} ms`);
  out(`  baseline prom-client registry.metrics() for ${fmt(seriesCount)} gauge series: median ${baseline.toFixed(0)} ms`);
  agent.destroy();
  await s.close();
}

/** prom-client's own Registry with the same number of labelled gauge series. */
async function promClientBaseline(series: number): Promise<number> {
  const registry = new Registry();
  const perFamily = Math.ceil(series / 20);
  for (let f = 0; f < 20; f++) {
    const g = new Gauge({ name: `baseline_family_${f}`, help: 'baseline', labelNames: ['model', 'version', 'feature'], registers: [registry] });
    for (let i = 0; i < perFamily; i++) g.set({ model: `model-${String(i % 1000).padStart(4, '0')}`, version: 'v1', feature: `num_${Math.floor(i / 1000)}` }, Math.random());
  }
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const a = performance.now();
    await registry.metrics();
    times.push(performance.now() - a);
  }
  return times.sort((a, b) => a - b)[2];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  out(`modelwatch bench (node ${process.version}, ${os.cpus().length} CPUs${gc ? '' : ', run with --expose-gc for stable memory figures'})`);
  await ingestThroughput();
  await fleet();
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
