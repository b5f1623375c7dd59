import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryExists, PROMETHEUS_BIN, startPrometheus, which, type RunningPrometheus } from '@modelwatch/test-support';
import { startTestServer, type TestServer } from '../helpers/start.js';

const PROMTOOL = which('promtool');
const PROMETHEUS = binaryExists(PROMETHEUS_BIN);
if (!PROMTOOL || !PROMETHEUS) {
  // Loud, not silent: CI installs the Debian `prometheus` package (.ci/run).
  process.stderr.write(
    `\n*** SKIPPING Prometheus integration tests: ${PROMETHEUS_BIN} or promtool (on PATH) missing (apt install prometheus) ***\n\n`,
  );
}

/** numpy.quantile(sorted, q) with the default 'linear' method. */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

/** PSI as DESIGN.md defines it, computed here from scratch: decile bins (a, b], floor 1e-4. */
function expectedPsi(reference: number[], current: number[]): number {
  const sorted = [...reference].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let k = 1; k < 10; k++) {
    const e = quantile(sorted, k / 10);
    if (edges.length === 0 || edges[edges.length - 1] !== e) edges.push(e);
  }
  const share = (xs: number[]) => {
    const counts = new Array<number>(edges.length + 1).fill(0);
    for (const x of xs) {
      let b = 0;
      while (b < edges.length && x > edges[b]) b++;
      counts[b]++;
    }
    return counts.map((c) => Math.max(c / xs.length, 1e-4));
  };
  const r = share(reference);
  const c = share(current);
  return r.reduce((sum, ri, i) => sum + (c[i] - ri) * Math.log(c[i] / ri), 0);
}

/** A deterministic pseudo-random stream, so the test data is fixed but not hand-picked. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe.skipIf(!PROMTOOL || !PROMETHEUS)('Prometheus exposition', () => {
  let s: TestServer;
  let prom: RunningPrometheus | undefined;
  const rand = lcg(42);
  const reference = Array.from({ length: 500 }, () => Math.round(rand() * 1000) / 10);
  const current = Array.from({ length: 400 }, () => Math.round((rand() * 80 + 30) * 10) / 10);
  // a class is free text (a name is not): quotes and a backslash must survive the exposition's escaping
  const classes = ['cat', 'dog', 'fox "red" \\'];
  const events = current.map((x, i) => {
    const prediction = classes[Math.floor(rand() * 3)];
    const label = rand() < 0.7 ? prediction : classes[Math.floor(rand() * 3)];
    return { id: `e${i}`, features: { amount: x, channel: rand() < 0.5 ? 'web' : 'app' }, prediction, label, latency_ms: rand() * 80 };
  });

  beforeAll(async () => {
    s = await startTestServer();
    expect(
      (
        await s.api('/api/v1/models/fraud/versions/v3/reference', {
          method: 'PUT',
          json: { features: { amount: reference, channel: ['web', 'app', 'app'] } },
        })
      ).status,
    ).toBe(200);
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'fraud', version: 'v3', events } })).status).toBe(200);
    expect((await s.api('/api/v1/kpis', { method: 'POST', json: { model: 'fraud', kpis: { 'chargebacks eur': 12 } } })).status).toBe(200);
  });
  afterAll(async () => {
    await prom?.stop();
    await s?.close();
  });

  it('passes promtool check metrics', async () => {
    const text = await (await s.api('/metrics', { token: null })).text();
    expect(text).toContain('modelwatch_feature_psi{');
    const r = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = (r.stderr + r.stdout).split('\n').filter(Boolean);
    expect(problems).toEqual([]);
    expect(r.status).toBe(0);
    // A parse error would not be a lint line: make sure promtool really read the families.
    const broken = spawnSync(PROMTOOL!, ['check', 'metrics'], {
      input: text.replace('modelwatch_feature_psi{', 'modelwatch_feature_psi{{'),
      encoding: 'utf8',
    });
    expect(broken.status).not.toBe(0);
  });

  it('is scraped by a real Prometheus with the values computed from the posted data', async () => {
    prom = await startPrometheus({ targets: [`127.0.0.1:${s.port}`] });
    const accuracy = events.filter((e) => e.label === e.prediction).length / events.length;
    const psi = expectedPsi(reference, current);
    expect(psi).toBeGreaterThan(0.1); // the data really drifted: the check below is not vacuous
    const deadline = Date.now() + 30_000;
    let acc: string | undefined;
    let gotPsi: string | undefined;
    while (Date.now() < deadline) {
      acc = (await prom.vector('modelwatch_model_accuracy_ratio{model="fraud",version="v3"}'))[0]?.value[1];
      gotPsi = (await prom.vector('modelwatch_feature_psi{model="fraud",version="v3",feature="amount"}'))[0]?.value[1];
      if (acc !== undefined && gotPsi !== undefined) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(Number(acc)).toBeCloseTo(accuracy, 12);
    expect(Number(gotPsi)).toBeCloseTo(psi, 9);
    const up = await prom.vector('up{job="modelwatch"}');
    expect(up[0]?.value[1]).toBe('1');
    const kpi = await prom.vector('modelwatch_business_kpi{model="fraud"}');
    expect(kpi[0]?.metric.kpi).toBe('chargebacks eur');
    const recall = await prom.vector('modelwatch_model_recall_ratio{model="fraud",version="v3"}');
    expect(recall.map((r) => r.metric.class).sort()).toEqual([...classes].sort());
    const count = await prom.vector('modelwatch_prediction_latency_seconds_count{model="fraud"}');
    expect(Number(count[0]?.value[1])).toBe(events.length);
  });
});
