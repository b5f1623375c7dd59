import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape } from './helpers.js';

/*
 * A prediction waits for its label at most MODELWATCH_PENDING_PREDICTION_SECONDS after it
 * arrived (window time); then it is dropped as pending_expired, and a label that comes later is
 * answered as dropped: prediction_expired — not held for a prediction that will not come.
 */

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const binary = (ids: string[], extra: Record<string, unknown> = {}) => ({
  model: 'churn',
  version: 'v1',
  positive_class: '1',
  events: ids.map((id) => ({ id, features: {}, prediction: '1', score: 0.8, ...extra })),
});
const labels = (...ids: string[]) => ({ model: 'churn', events: ids.map((id) => ({ id, label: '1' })) });

describe('pending predictions expire (HTTP)', () => {
  const clock = { t: T0 };
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_PENDING_PREDICTION_SECONDS: '60' }, { now: () => clock.t });
  });
  afterAll(async () => {
    await s.close();
  });
  const post = async (path: string, json: unknown) => {
    const res = await s.api(path, { method: 'POST', json });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  it('a label before the expiry joins; one after it is dropped as prediction_expired and counted', async () => {
    expect(await post('/api/v1/predictions', binary(['a', 'b', 'c']))).toMatchObject({ accepted: 3 });
    clock.t += 59_000;
    expect(await post('/api/v1/feedback', labels('a'))).toMatchObject({ accepted: 1, joined: 1, held: 0, dropped: {} });
    clock.t += 2_000; // b and c have waited 61 s
    const late = await post('/api/v1/feedback', labels('b'));
    expect(late).toMatchObject({ accepted: 0, joined: 0, held: 0 });
    expect((late.dropped as Record<string, number>).prediction_expired).toBe(1);
    // The expired prediction sent again is not counted again.
    expect(await post('/api/v1/predictions', binary(['c']))).toMatchObject({ accepted: 0, dropped: { duplicate_id: 1 } });

    const m = await scrape(s);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'pending_expired' })).toBe(2);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'prediction_expired' })).toBe(1);
    expect(sample(m, 'modelwatch_feedback_total', { model: 'churn', outcome: 'unknown_prediction' })).toBe(1);
    expect(sample(m, 'modelwatch_feedback_total', { model: 'churn', version: 'v1', outcome: 'joined' })).toBe(1);
    expect(sample(m, 'modelwatch_model_labels_pending', { model: 'churn', age_le: '+Inf' })).toBe(0);
    expect(sample(m, 'modelwatch_model_window_labeled', { model: 'churn' })).toBe(1);
  });
});

describe('pending predictions expire (window time)', () => {
  const config = loadConfig({ MODELWATCH_PENDING_PREDICTION_SECONDS: '60' });

  it('counts from arrival, not from the event timestamp: a backfill of old events waits its full time', () => {
    const clock = { t: T0 };
    const m = new Monitor(config, () => clock.t);
    const old = new Date(T0 - 50 * 60_000).toISOString();
    m.applyPredictions(binary(['x'], { timestamp: old }) as never);
    clock.t += 59_000;
    m.expirePendingPredictions();
    expect(m.pendingCount).toBe(1);
    expect(m.applyFeedback(labels('x') as never)).toMatchObject({ joined: 1 });
  });

  it('the window clock drops them with no traffic; a wall clock stepped back does not keep them longer', () => {
    const clock = { t: T0 };
    const m = new Monitor(config, () => clock.t);
    m.applyPredictions(binary(['p', 'q']) as never);
    // NTP steps the clock back an hour 10 s later; the window clock reads it every second
    for (let i = 1; i <= 10; i++) {
      clock.t += 1000;
      m.expirePendingPredictions();
    }
    clock.t -= 3_600_000;
    // the second in which the clock stepped is not seen (steady-clock.ts): 50 more reach 59 s
    for (let i = 11; i <= 60; i++) {
      clock.t += 1000;
      m.expirePendingPredictions();
    }
    expect(m.now() - T0).toBe(59_000);
    expect(m.pendingCount).toBe(2);
    clock.t += 1000; // 60 s of window time since they arrived
    m.expirePendingPredictions();
    expect(m.pendingCount).toBe(0);
    expect(m.dropped.counts.get('pending_expired')).toBe(2);
    expect(m.applyFeedback(labels('p', 'zz') as never)).toMatchObject({ joined: 0, held: 1, dropped: { prediction_expired: 1 } });
    expect(m.dropped.counts.get('prediction_expired')).toBe(1);
  });

  it('an expiry inside a batch that fails is rolled back with it', () => {
    const clock = { t: T0 };
    const m = new Monitor(config, () => clock.t);
    m.applyPredictions(binary(['r']) as never);
    clock.t += 61_000;
    const model = m.models.get('churn')!;
    const original = model.recent.add.bind(model.recent);
    model.recent.add = (...args) => {
      const added = original(...args);
      throw new Error(`injected after adding ${String(added)}`);
    };
    expect(() => m.applyFeedback(labels('r') as never)).toThrow();
    model.recent.add = original;
    expect(m.pendingCount).toBe(1);
    expect(model.recent.size).toBe(0);
    expect(m.dropped.counts.get('pending_expired')).toBe(0);
    m.expirePendingPredictions();
    expect(m.pendingCount).toBe(0);
    expect(model.recent.isExpired('r')).toBe(true);
  });
});
