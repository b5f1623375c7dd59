import { spawnSync } from 'node:child_process';
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryExists, PROMETHEUS_BIN, startPrometheus, which, type RunningPrometheus } from '@modelwatch/test-support';
import { startTestServer, type TestServer } from '../helpers/start.js';

const PROMTOOL = which('promtool');
const PROMETHEUS = binaryExists(PROMETHEUS_BIN);
if (!PROMTOOL || !PROMETHEUS) {
  process.stderr.write(
    `\n*** SKIPPING OpenMetrics tests: ${PROMETHEUS_BIN} or promtool (on PATH) missing (apt install prometheus) ***\n\n`,
  );
}

/** What Prometheus 2.x sends (OpenMetrics first). */
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** GET /metrics over node:http (fetch would decompress on its own): raw body and headers. */
function get(url: string, headers: Record<string, string>): Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

/** Lines of a body that do not move between two scrapes (process and runtime metrics do). */
const stable = (text: string) => text.split('\n').filter((l) => !/^(# (HELP|TYPE|UNIT) )?(process|nodejs)_/.test(l));

describe.skipIf(!PROMTOOL || !PROMETHEUS)('OpenMetrics and the text format (issue 14)', () => {
  let s: TestServer;
  let prom: RunningPrometheus | undefined;
  beforeAll(async () => {
    s = await startTestServer();
    const events = Array.from({ length: 20 }, (_, i) => ({
      id: `e${i}`,
      features: { amount: i },
      prediction: i % 3 ? 'a' : 'b',
      label: 'a',
      latency_ms: 3 + i,
    }));
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'om', version: 'v1', events } })).status).toBe(200);
  });
  afterAll(async () => {
    await prom?.stop();
    await s?.close();
  });

  it('answers OpenMetrics when asked first, with # EOF, counter families without _total and units; gzip gives the same body', async () => {
    const om = await get(`${s.url}/metrics`, { Accept: PROMETHEUS_ACCEPT });
    expect(om.headers['content-type']).toBe('application/openmetrics-text; version=1.0.0; charset=utf-8');
    expect(om.headers.vary).toBe('Accept, Accept-Encoding');
    const text = om.body.toString('utf8');
    expect(text.endsWith('\n# EOF\n')).toBe(true);
    expect(text.indexOf('# EOF')).toBe(text.length - '# EOF\n'.length);
    expect(text).toContain('# TYPE modelwatch_predictions counter\n');
    expect(text).toMatch(/^modelwatch_predictions_total\{model="om",version="v1"\} 20$/m);
    expect(text).toContain(
      '# TYPE modelwatch_prediction_latency_seconds histogram\n# UNIT modelwatch_prediction_latency_seconds seconds\n',
    );
    expect(text).toContain('# UNIT modelwatch_model_accuracy_ratio ratio\n');
    expect(text).toContain('# TYPE process_cpu_seconds counter\n# UNIT process_cpu_seconds seconds\n');
    expect(text).not.toMatch(/^# TYPE \S+_total counter$/m);

    const gz = await get(`${s.url}/metrics`, { Accept: PROMETHEUS_ACCEPT, 'Accept-Encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe(om.headers['content-type']);
    expect(stable(zlib.gunzipSync(gz.body).toString('utf8'))).toEqual(stable(text));

    // Without Accept, with */*, or with only what we do not speak: the text format.
    for (const accept of [undefined, '*/*', 'text/plain', 'application/json']) {
      const plain = await get(`${s.url}/metrics`, accept ? { Accept: accept } : {});
      expect([accept, plain.headers['content-type']]).toEqual([accept, 'text/plain; version=0.0.4; charset=utf-8']);
      expect(plain.body.toString()).toContain('# TYPE modelwatch_predictions_total counter\n');
      expect(plain.body.toString()).not.toContain('# EOF');
    }
  });

  it('names process and runtime metrics the standard way, and the text format passes promtool check metrics', async () => {
    const text = await (await s.api('/metrics', { token: null })).text();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ])
      expect(text).toMatch(new RegExp(`^${name} `, 'm'));
    expect(text).not.toMatch(/^modelwatch_(process|nodejs)_/m);
    const r = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect((r.stderr + r.stdout).split('\n').filter(Boolean)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('is scraped as OpenMetrics by a real Prometheus: units and counter families reach its metadata, the values its TSDB', async () => {
    prom = await startPrometheus({ targets: [`127.0.0.1:${s.port}`] });
    const deadline = Date.now() + 30_000;
    let predictions: string | undefined;
    while (Date.now() < deadline && predictions === undefined) {
      predictions = (await prom.vector('modelwatch_predictions_total{model="om",version="v1"}'))[0]?.value[1];
      if (predictions === undefined) await new Promise((r) => setTimeout(r, 500));
    }
    expect(predictions).toBe('20');
    expect((await prom.vector('modelwatch_prediction_latency_seconds_count{model="om"}'))[0]?.value[1]).toBe('20');
    expect((await prom.vector('process_cpu_seconds_total{job="modelwatch"}')).length).toBe(1);
    // Only OpenMetrics carries units, and names a counter's family without _total: Prometheus
    // keeps both in its target metadata, so this shows which format it parsed.
    const metadata = async (metric: string) => {
      const res = await fetch(`${prom!.url}/api/v1/targets/metadata?metric=${metric}`);
      return ((await res.json()) as { data: Array<{ type: string; unit: string }> }).data[0];
    };
    expect(await metadata('modelwatch_prediction_latency_seconds')).toMatchObject({ type: 'histogram', unit: 'seconds' });
    expect(await metadata('modelwatch_predictions')).toMatchObject({ type: 'counter' });
    expect(await metadata('modelwatch_model_accuracy_ratio')).toMatchObject({ type: 'gauge', unit: 'ratio' });
  });
});
