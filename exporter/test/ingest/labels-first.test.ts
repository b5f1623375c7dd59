/**
 * Issue 11 §7: labels that arrive before their prediction are held and join when it comes — also
 * for a model that has sent nothing yet (it answered 404 "unknown model"). Such labels are held
 * within the held-label bounds, for at most MODELWATCH_MAX_MODELS model names, and create no
 * model state or series until the model's first prediction.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe("labels sent before a new model's first prediction", () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    s = await startTestServer({});
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (path: string, json: unknown) => s.api(path, { method: 'POST', json, token: ingest });

  it('are held (200, no model series), then join the prediction when it comes', async () => {
    const fb = await post('/api/v1/feedback', {
      model: 'newbie',
      events: [
        { id: 'p1', label: 'cat' },
        { id: 'p2', label: 'dog' },
      ],
    });
    expect(fb.status).toBe(200);
    expect(await fb.json()).toMatchObject({ accepted: 2, joined: 0, held: 2 });
    expect([...(await scrape(s)).keys()].some((k) => k.includes('newbie'))).toBe(false);
    const res = await post('/api/v1/predictions', {
      model: 'newbie',
      version: 'v1',
      events: [
        { id: 'p1', features: {}, prediction: 'cat' },
        { id: 'p2', features: {}, prediction: 'cat' },
      ],
    });
    expect(res.status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'newbie', version: 'v1' };
    expect(sample(m, 'modelwatch_labeled_predictions_total', mv)).toBe(2);
    expect(sample(m, 'modelwatch_correct_predictions_total', mv)).toBe(1);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBe(0.5);
  });
});

describe('the hold for models with no state is bounded', () => {
  const config = loadConfig({ MODELWATCH_MAX_MODELS: '2', MODELWATCH_HELD_LABELS_TOTAL: '3', MODELWATCH_HELD_LABEL_SECONDS: '60' });
  const label = (model: string, ...ids: string[]) => ({ model, events: ids.map((id) => ({ id, label: 'a' })) });

  it('by MODELWATCH_MAX_MODELS names, the held total and the hold time; nothing becomes a model', () => {
    const clock = { t: 1_700_000_000_000 };
    const m = new Monitor(config, () => clock.t);
    expect(m.applyFeedback(label('m1', 'a', 'b'))).toMatchObject({ held: 2, dropped: {} });
    expect(m.applyFeedback(label('m2', 'c'))).toMatchObject({ held: 1 });
    // A third name: beyond MODELWATCH_MAX_MODELS, dropped as model_limit.
    expect(m.applyFeedback(label('m3', 'd'))).toMatchObject({ held: 0, dropped: { model_limit: 1 } });
    // The held total (3) is shared: a fourth label evicts the model's oldest.
    expect(m.applyFeedback(label('m2', 'e'))).toMatchObject({ held: 1, dropped: { label_evicted: 1 } });
    expect(m.heldCount).toBe(3);
    expect(m.models.size).toBe(0);
    // Past MODELWATCH_HELD_LABEL_SECONDS the window clock drops them.
    clock.t += 61_000;
    m.expireHeldLabels();
    expect(m.heldCount).toBe(0);
    expect(m.dropped.counts.get('label_expired')).toBe(3);
    // The model's first prediction finds nothing held.
    const r = m.applyPredictions({ model: 'm1', version: 'v1', events: [{ id: 'a', features: {}, prediction: 'a' }] } as never);
    expect(r.accepted).toBe(1);
    expect(m.models.get('m1')!.held.size).toBe(0);
    expect(m.pendingCount).toBe(1);
  });

  it('a reference upload creating the model adopts its held labels too', () => {
    const clock = { t: 1_700_000_000_000 };
    const m = new Monitor(config, () => clock.t);
    m.applyFeedback(label('r1', 'x'));
    m.applyReference('r1', 'v1', { features: {}, droppedFeatures: [] } as never);
    expect(m.models.get('r1')!.held.size).toBe(1);
    m.applyPredictions({ model: 'r1', version: 'v1', events: [{ id: 'x', features: {}, prediction: 'a' }] } as never);
    expect(m.models.get('r1')!.versions.get('v1')!.labeled).toBe(1);
    expect(m.heldCount).toBe(0);
  });
});
