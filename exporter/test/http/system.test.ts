import http from 'node:http';
import zlib from 'node:zlib';
import { PROCESS_METRIC_NAME } from '../../src/metrics/process-metrics.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

describe('system endpoints', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('reports liveness and readiness', async () => {
    expect((await s.api('/healthz', { token: null })).status).toBe(200);
    const ready = await s.api('/readyz', { token: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite' });
  });

  it('exposes build info on /metrics', async () => {
    const res = await s.api('/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^modelwatch_build_info\{version="[^"]+",node_version="v20[^"]*"\} 1$/m);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await s.api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found', code: 'MW_ERR_NO_ROUTE' });
  });

  it('serves an OpenAPI document', async () => {
    const res = await s.api('/api/v1/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string };
    expect(doc.openapi).toBe('3.1.0');
  });

  it('answers GET / with a JSON index of the endpoints, each of them real', async () => {
    const res = await s.api('/', { token: null });
    expect(res.status).toBe(200);
    const index = (await res.json()) as { service: string; openapi: string; endpoints: Record<string, string> };
    expect(index.service).toBe('modelwatch exporter');
    expect(index.endpoints).toMatchObject({ 'GET /metrics': expect.any(String), 'POST /api/v1/predictions': expect.any(String) });
    // Every parameterless GET it lists answers (with the admin token) instead of 404.
    for (const key of Object.keys(index.endpoints).filter((k) => k.startsWith('GET ') && !k.includes('{'))) {
      expect([key, (await s.api(key.slice(4))).status]).toEqual([key, 200]);
    }
  });

  it('compresses /metrics with gzip when the scraper accepts it, to the same exposition', async () => {
    const plain = await s.api('/metrics', { token: null, headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    const noHeader = await new Promise<string | undefined>((resolve, reject) => {
      http.get(`${s.url}/metrics`, (res) => (res.resume(), resolve(res.headers['content-encoding']))).on('error', reject);
    });
    expect(noHeader).toBeUndefined();
    // Process metrics (CPU, memory) move between two scrapes; everything else is identical.
    const monitoring = (text: string) =>
      text
        .split('\n')
        .filter((l) => (l.startsWith('modelwatch_') || l.startsWith('# ')) && !PROCESS_METRIC_NAME.test(l.replace(/^# (HELP|TYPE) /, '')));
    const plainText = await plain.text();
    // fetch would decompress on its own: read the raw bytes over node:http instead.
    const raw = await new Promise<{ encoding?: string; vary?: string; body: Buffer }>((resolve, reject) => {
      http
        .get(`${s.url}/metrics`, { headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(raw.encoding).toBe('gzip');
    expect(raw.vary).toBe('Accept, Accept-Encoding');
    expect(monitoring(plainText).length).toBeGreaterThan(20);
    expect(monitoring(zlib.gunzipSync(raw.body).toString())).toEqual(monitoring(plainText));
  });
});
