import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_SECONDS } from '../../src/metrics/catalog.js';
import { wilsonInterval } from '../../src/stats/index.js';
import { latencyQuantile } from '../../src/status/version-status.js';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

it('latency quantiles interpolate inside the bucket as histogram_quantile does', () => {
  const buckets = new Float64Array(LATENCY_BUCKETS_SECONDS.length + 1);
  // 10 observations in (10 ms, 25 ms], 10 in (25 ms, 50 ms]
  buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.025)] = 10;
  buckets[LATENCY_BUCKETS_SECONDS.indexOf(0.05)] = 10;
  const v = { latencyBuckets: buckets, latencyCount: 20 };
  expect(latencyQuantile(v, 0.5)).toBeCloseTo(25, 9); // rank 10: top of the first bucket
  expect(latencyQuantile(v, 0.95)).toBeCloseTo(25 + 25 * (9 / 10), 9); // rank 19: 9/10 into (25, 50]
  expect(latencyQuantile({ latencyBuckets: buckets, latencyCount: 0 }, 0.5)).toBeNull();
});

describe('GET /api/v1/models/{model}/status and modelwatch status', () => {
  let s: TestServer;
  const env = () => ({ MODELWATCH_URL: s.url, MODELWATCH_TOKEN: TEST_ADMIN_TOKEN });
  beforeAll(async () => {
    // 40 labels are judged here because the minimum is set to 40 (status follows the setting).
    s = await startTestServer({ MODELWATCH_RETRAIN_MIN_LABELED: '40' });
    await s.api('/api/v1/models/canary/versions', { method: 'POST', json: { version: 'v1', metrics: { accuracy: 0.9, latency_ms: 20 } } });
    await s.api('/api/v1/models/canary/versions', { method: 'POST', json: { version: 'v2', metrics: { accuracy: 0.9, latency_ms: 20 } } });
    for (const to of ['staging', 'production'])
      await s.api('/api/v1/models/canary/versions/v1/transitions', { method: 'POST', json: { to, reason: 't' } });
    // Drift is measured against a reference sample (features without one are not tracked).
    const reference = { features: { amount: Array.from({ length: 200 }, (_, i) => i % 40) } };
    expect((await s.api('/api/v1/models/canary/versions/v1/reference', { method: 'PUT', json: reference })).status).toBe(200);
    // 40 labeled predictions of v1, 24 right: window accuracy 0.6, and even the upper end of its
    // Wilson 95% interval (0.737) is below the production gate 0.85.
    const events = Array.from({ length: 40 }, (_, i) => ({
      id: `e${i}`,
      features: { amount: i },
      prediction: 'yes',
      label: i < 24 ? 'yes' : 'no',
      latency_ms: 12,
    }));
    const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'canary', version: 'v1', events } });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('judges the production version by default: failing on the min_accuracy gate, with the sample size', async () => {
    const res = await s.api('/api/v1/models/canary/status');
    expect(res.status).toBe(200);
    const status = await res.json();
    expect(status).toMatchObject({
      model: 'canary',
      version: 'v1',
      stage: 'production',
      production_version: 'v1',
      window: { seconds: 3600, predictions: 40, labeled: 40 },
      quality: { task: 'classification', labeled: 40, accuracy: 0.6 },
      serving: { predictions: 40, errors: 0, error_ratio: 0 },
      health: {
        verdict: 'failing',
        reasons: [{ check: 'min_accuracy', severity: 'critical', value: wilsonInterval(24, 40)!.hi, threshold: 0.85 }],
      },
    });
    expect(status.features).toEqual([expect.objectContaining({ name: 'amount', kind: 'numeric', count: 40 })]);
    expect(status.serving.latency_ms.p95).toBeGreaterThan(10);
    expect(status.serving.latency_ms.p95).toBeLessThanOrEqual(25);
  });

  it('answers no_data for a registered version without traffic, 404 for unknown ones', async () => {
    expect(await (await s.api('/api/v1/models/canary/status?version=v2')).json()).toMatchObject({
      version: 'v2',
      stage: 'development',
      health: { verdict: 'no_data', reasons: [] },
    });
    expect((await s.api('/api/v1/models/canary/status?version=v9')).status).toBe(404);
    expect((await s.api('/api/v1/models/nope/status')).status).toBe(404);
  });

  it('modelwatch status prints a table with the verdict and its reasons; --json is the API answer', async () => {
    const human = await runCli(['status', 'canary'], env());
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('canary v1  stage production  verdict FAILING');
    expect(human.stdout).toContain('accuracy 0.6 (n=40)');
    expect(human.stdout).toMatch(/^amount +numeric +40 /m);
    expect(human.stdout).toContain('critical window accuracy 0.6 (95% upper bound 0.737, n=40) < gate min_accuracy 0.85');
    const json = await runCli(['status', 'canary', '--version', 'v2', '--json'], env());
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 'v2', health: { verdict: 'no_data' } });
    const missing = await runCli(['status', 'nope'], env());
    expect(missing.code).toBe(2);
  });
});

describe('status on a handful of drift events', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
  });

  it('does not call a version failing on the PSI of 2 events (as retrain_recommended), and does above the minimum', async () => {
    const reference = { features: { x: Array.from({ length: 100 }, (_, i) => i % 10) } };
    expect((await s.api('/api/v1/models/tiny/versions/v1/reference', { method: 'PUT', json: reference })).status).toBe(200);
    const send = async (from: number, n: number) =>
      (
        await s.api('/api/v1/predictions', {
          method: 'POST',
          json: {
            model: 'tiny',
            version: 'v1',
            events: Array.from({ length: n }, (_, i) => ({ id: `t${from + i}`, features: { x: 9 }, prediction: 'a' })),
          },
        })
      ).status;
    expect(await send(0, 2)).toBe(200);
    const few = await (await s.api('/api/v1/models/tiny/status?version=v1')).json();
    expect(few.features[0].psi).toBeGreaterThan(0.25);
    expect(few.health.verdict).toBe('healthy');
    expect(few.health.reasons).toEqual([expect.objectContaining({ check: 'feature_psi', severity: 'info', feature: 'x' })]);
    expect(await send(2, 60)).toBe(200);
    const many = await (await s.api('/api/v1/models/tiny/status?version=v1')).json();
    expect(many.health).toMatchObject({ verdict: 'failing', reasons: [{ check: 'feature_psi', severity: 'critical', feature: 'x' }] });
  });
});

describe('status on a handful of labels and latency observations', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const register = await s.api('/api/v1/models/lat/versions', {
      method: 'POST',
      json: { version: 'v1', metrics: { accuracy: 0.9, latency_ms: 12 } },
    });
    expect(register.status).toBe(201);
    const gates = { production: { min_accuracy: 0.85, max_latency_ms: 20 }, reason: 'a tight latency gate' };
    expect((await s.api('/api/v1/models/lat/gates', { method: 'PUT', json: gates })).status).toBe(200);
    for (const to of ['staging', 'production'])
      expect((await s.api('/api/v1/models/lat/versions/v1/transitions', { method: 'POST', json: { to, reason: 't' } })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  const send = async (from: number, n: number) =>
    (
      await s.api('/api/v1/predictions', {
        method: 'POST',
        json: {
          model: 'lat',
          version: 'v1',
          // every 4th prediction wrong: accuracy 0.75, below the 0.85 gate (at 60 labels so is its 95% upper end)
          events: Array.from({ length: n }, (_, i) => ({
            id: `l${from + i}`,
            features: {},
            prediction: 'a',
            label: (from + i) % 4 === 3 ? 'b' : 'a',
            latency_ms: 14,
          })),
        },
      })
    ).status;

  it('judges accuracy from MODELWATCH_RETRAIN_MIN_LABELED (default 50) labels, as retrain_recommended does', async () => {
    expect(await send(0, 40)).toBe(200);
    const status = await (await s.api('/api/v1/models/lat/status')).json();
    expect(status.quality).toMatchObject({ labeled: 40, accuracy: 0.75 });
    expect(status.health.reasons).toContainEqual(expect.objectContaining({ check: 'labels', severity: 'info', value: 40, threshold: 50 }));
    expect(status.health.reasons).not.toContainEqual(expect.objectContaining({ check: 'min_accuracy' }));
    expect(await send(40, 20)).toBe(200);
    const judged = await (await s.api('/api/v1/models/lat/status')).json();
    expect(judged.health.reasons).toContainEqual(
      // 45 of 60: the upper end of the Wilson 95% interval (0.842) is what is below the gate.
      expect.objectContaining({ check: 'min_accuracy', severity: 'critical', value: wilsonInterval(45, 60)!.hi, threshold: 0.85 }),
    );
  });
});

describe('status on one latency observation', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.api('/api/v1/models/one/versions', { method: 'POST', json: { version: 'v1', metrics: { accuracy: 0.9, latency_ms: 12 } } });
    await s.api('/api/v1/models/one/gates', { method: 'PUT', json: { production: { max_latency_ms: 20 }, reason: 'tight' } });
    for (const to of ['staging', 'production'])
      expect((await s.api('/api/v1/models/one/versions/v1/transitions', { method: 'POST', json: { to, reason: 't' } })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('does not fail the latency gate on one 14 ms request whose bucket interpolates to p95 24 ms; judges it from 20 on', async () => {
    const post = (from: number, n: number) =>
      s.api('/api/v1/predictions', {
        method: 'POST',
        json: {
          model: 'one',
          version: 'v1',
          events: Array.from({ length: n }, (_, i) => ({ id: `o${from + i}`, features: {}, prediction: 'a', latency_ms: 14 })),
        },
      });
    expect((await post(0, 1)).status).toBe(200);
    const one = await (await s.api('/api/v1/models/one/status')).json();
    expect(one.serving.latency_ms.p95).toBeGreaterThan(20); // the interpolation the gate must not trust on one event
    expect(one.health.verdict).toBe('healthy');
    expect(one.health.reasons).toContainEqual(
      expect.objectContaining({ check: 'max_latency_ms', severity: 'info', value: one.serving.latency_ms.p95, threshold: 20 }),
    );
    expect((await post(1, 19)).status).toBe(200);
    const twenty = await (await s.api('/api/v1/models/one/status')).json();
    expect(twenty.health).toMatchObject({
      verdict: 'failing',
      reasons: [expect.objectContaining({ check: 'max_latency_ms', severity: 'critical', threshold: 20 })],
    });
  });
});
