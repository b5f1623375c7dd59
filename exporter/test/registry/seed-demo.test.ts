import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';

/** The fraud_detector story from issue 4, played through the HTTP API exactly. */
describe('seed demo: fraud_detector through the API', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  const register = (version: string, accuracy: number, latency: number) =>
    s.api('/api/v1/models/fraud_detector/versions', { method: 'POST', json: { version, metrics: { accuracy, latency_ms: latency } } });
  const move = (version: string, to: string) =>
    s.api(`/api/v1/models/fraud_detector/versions/${version}/transitions`, {
      method: 'POST',
      json: { to, reason: `demo: ${version} to ${to}` },
    });
  const stages = async () => {
    const body = (await (await s.api('/api/v1/models/fraud_detector/versions')).json()) as {
      versions: { version: string; stage: string }[];
    };
    return Object.fromEntries(body.versions.map((v) => [v.version, v.stage]));
  };

  it('plays out as specified', async () => {
    expect((await register('1.0', 0.82, 45)).status).toBe(201);
    expect((await register('1.1', 0.87, 40)).status).toBe(201);
    expect((await register('1.2', 0.83, 60)).status).toBe(201);
    expect(await stages()).toEqual({ '1.0': 'development', '1.1': 'development', '1.2': 'development' });

    const model = (await (await s.api('/api/v1/models/fraud_detector')).json()) as { team: string; production_version: string | null };
    expect(model).toMatchObject({ team: 'ml', production_version: null });

    expect((await move('1.0', 'staging')).status).toBe(200);

    const refused10 = await move('1.0', 'production');
    expect(refused10.status).toBe(422);
    expect(((await refused10.json()) as { details: unknown }).details).toEqual([
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.82 },
    ]);

    expect((await move('1.1', 'staging')).status).toBe(200);
    const promoted = await move('1.1', 'production');
    expect(promoted.status).toBe(200);
    expect(await promoted.json()).toMatchObject({ from: 'staging', to: 'production', forced: false, archived_version: null });

    expect((await move('1.2', 'staging')).status).toBe(200);
    const refused12 = await move('1.2', 'production');
    expect(refused12.status).toBe(422);
    // Latency is the headline; accuracy 0.83 also misses production's 0.85, and every failed gate is listed.
    expect(((await refused12.json()) as { details: unknown }).details).toEqual([
      { gate: 'max_latency_ms', metric: 'latency_ms', required: 50, actual: 60 },
      { gate: 'min_accuracy', metric: 'accuracy', required: 0.85, actual: 0.83 },
    ]);

    const rollback = await s.api('/api/v1/models/fraud_detector/rollback', { method: 'POST', json: { reason: 'demo: try to roll back' } });
    expect(rollback.status).toBe(409);
    expect(((await rollback.json()) as { error: string }).error).toMatch(/no predecessor/);

    expect(await stages()).toEqual({ '1.0': 'staging', '1.1': 'production', '1.2': 'staging' });
    const verify = await s.api('/api/v1/audit/verify');
    // model.create + 3 registrations + 4 successful transitions; refusals change nothing.
    expect(await verify.json()).toEqual({ ok: true, entries: 8 });
  });
});
