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
});
