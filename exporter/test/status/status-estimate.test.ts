import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateBinary, estimatedMetrics, fitBinaryCalibration, newEstimateState } from '../../src/stats/index.js';
import { runCli } from '../cli/run-cli.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/start.js';

describe('status view and modelwatch status include the label-free estimate', () => {
  let s: TestServer;
  const n = 1000;
  const score = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
  // Calibrated as scored: a row scored p is positive with frequency p.
  const labels = score.map((p, i) => (((i * 7919) % n) / n < p ? '1' : '0'));
  const live = Array.from({ length: 300 }, (_, i) => 0.4 + (0.2 * i) / 300);

  beforeAll(async () => {
    s = await startTestServer();
    await s.api('/api/v1/models/unsure/versions', { method: 'POST', json: { version: 'v1', metrics: { accuracy: 0.9, latency_ms: 20 } } });
    for (const to of ['staging', 'production'])
      await s.api('/api/v1/models/unsure/versions/v1/transitions', { method: 'POST', json: { to, reason: 't' } });
    const ref = await s.api('/api/v1/models/unsure/versions/v1/reference', {
      method: 'PUT',
      json: { features: { x: score }, labels, score },
    });
    expect(ref.status).toBe(200);
    const events = live.map((p, i) => ({
      id: `e${i}`,
      features: { x: (i + 0.5) / live.length },
      prediction: p >= 0.5 ? '1' : '0',
      score: p,
    }));
    expect((await s.api('/api/v1/predictions', { method: 'POST', json: { model: 'unsure', version: 'v1', events } })).status).toBe(200);
  });
  afterAll(async () => {
    await s.close();
  });

  it('reports the estimate, its band, label coverage, and judges the band against the gate', async () => {
    const cal = fitBinaryCalibration(labels, score, '1');
    const state = newEstimateState(cal);
    for (const p of live) estimateBinary(cal, state, p, p >= 0.5);
    const expected = estimatedMetrics(state, ['0', '1'])!;
    const status = await (await s.api('/api/v1/models/unsure/status')).json();
    expect(status.estimate.events).toBe(300);
    expect(status.estimate.accuracy).toBeCloseTo(expected.accuracy, 12);
    expect(status.estimate.accuracy_upper).toBeCloseTo(expected.accuracyUpper, 12);
    expect(status.estimate.accuracy_upper).toBeLessThan(0.85);
    expect(status.labels).toEqual({ coverage: 0, pending: 300 });
    expect(status.quality.accuracy).toBeNull();
    expect(status.health.verdict).toBe('degraded');
    expect(status.health.reasons).toEqual([
      expect.objectContaining({ check: 'estimated_accuracy', severity: 'warning', threshold: 0.85, value: expected.accuracyUpper }),
    ]);
    const human = await runCli(['status', 'unsure'], { MODELWATCH_URL: s.url, MODELWATCH_TOKEN: TEST_ADMIN_TOKEN });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/estimate \(no labels\): accuracy 0\.\d+ \[0\.\d+, 0\.\d+\] \(n=300\)/);
    expect(human.stdout).toContain('labels: coverage 0, 300 waiting');
  });
});
