/**
 * Issue 11, cases 1 and 3 over HTTP: values ingest cannot account for are refused whole, with a
 * 400 naming the field, and change nothing — for the model, its retries, and every other model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from './helpers.js';

type Details = { error: string; details?: Array<{ path: string; message: string }> };

describe('ingest refuses what the statistics cannot hold', () => {
  let s: TestServer;
  let ingest: string;
  beforeAll(async () => {
    s = await startTestServer({
      MODELWATCH_WINDOW_SECONDS: '120',
      MODELWATCH_WINDOW_RESOLUTION_SECONDS: '60',
      MODELWATCH_SKETCH_RESOLUTION_SECONDS: '60',
    });
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (path: string, json: unknown) => s.api(path, { method: 'POST', json, token: ingest });

  it('case 1: a regression error beyond the magnitude bound is a 400 naming the field, applied to nothing, retried to nothing', async () => {
    const body = {
      model: 'price_model',
      version: 'v1',
      task: 'regression',
      events: [
        { id: 'p1', features: {}, prediction: 10.0, label: 12.0 },
        { id: 'p2', features: {}, prediction: -1e200, label: 1e200 },
      ],
    };
    for (let attempt = 0; attempt < 2; attempt++) {
      const res = await post('/api/v1/predictions', body);
      expect(res.status).toBe(400);
      const paths = ((await res.json()) as Details).details!.map((d) => d.path);
      expect(paths).toEqual(expect.arrayContaining(['events[1].prediction', 'events[1].label']));
      expect(paths.some((p) => p.startsWith('events[0]'))).toBe(false);
    }
    const series = await scrape(s);
    expect(sample(series, 'modelwatch_predictions_total', { model: 'price_model' })).toBeUndefined();
    // Values at the bound are accepted and the metrics stay finite and non-negative.
    const ok = await post('/api/v1/predictions', {
      ...body,
      events: [body.events[0], { id: 'p3', features: {}, prediction: -1e100, label: 1e100 }],
    });
    expect(ok.status).toBe(200);
    const after = await scrape(s);
    expect(sample(after, 'modelwatch_predictions_total', { model: 'price_model' })).toBe(2);
    const mae = sample(after, 'modelwatch_model_mae', { model: 'price_model' });
    expect(mae).toBeGreaterThan(0);
    expect(Number.isFinite(mae)).toBe(true);
    expect(Number.isFinite(sample(after, 'modelwatch_model_rmse', { model: 'price_model' }))).toBe(true);
  });

  it('case 1: feature values and KPIs beyond the bound are refused too', async () => {
    const res = await post('/api/v1/predictions', {
      model: 'm1',
      version: 'v1',
      events: [{ id: 'a', features: { x: -1e300 }, prediction: 'a' }],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Details).details!.map((d) => d.path)).toContain('events[0].features.x');
    await post('/api/v1/predictions', { model: 'm1', version: 'v1', events: [{ id: 'b', features: {}, prediction: 'a' }] });
    const kpi = await post('/api/v1/kpis', { model: 'm1', kpis: { revenue: 1e101 } });
    expect(kpi.status).toBe(400);
    expect(((await kpi.json()) as Details).details!.map((d) => d.path)).toContain('kpis.revenue');
  });

  it('case 3: multiclass scores off 1 by more than 0.01 are a 400 naming events[i].scores; rows within it are accepted', async () => {
    const events = [
      { id: 't1', features: {}, prediction: 'a', scores: { a: 0.6, b: 0.6, c: 0.6 }, label: 'a' },
      { id: 't2', features: {}, prediction: 'b', scores: { a: 0.1, b: 0.9, c: 0.5 }, label: 'b' },
      { id: 't3', features: {}, prediction: 'a', scores: { a: 0.2, b: 0.2, c: 0.2 }, label: 'c' },
      { id: 't4', features: {}, prediction: 'a', scores: { a: 0.9, b: 0.05, c: 0.05 }, label: 'a' },
    ];
    const res = await post('/api/v1/predictions', { model: 'topic_clf', version: 'v1', events });
    expect(res.status).toBe(400);
    const details = ((await res.json()) as Details).details!;
    expect(details.map((d) => d.path).sort()).toEqual(['events[0].scores', 'events[1].scores', 'events[2].scores']);
    expect(details[0].message).toMatch(/sum to 1 within 0.01/);
    expect(sample(await scrape(s), 'modelwatch_predictions_total', { model: 'topic_clf' })).toBeUndefined();
    const ok = await post('/api/v1/predictions', {
      model: 'topic_clf',
      version: 'v1',
      events: [{ id: 't5', features: {}, prediction: 'a', scores: { a: 0.7, b: 0.2, c: 0.105 }, label: 'a' }],
    });
    expect(ok.status).toBe(200);
    // rows rounded to two decimals that sum to exactly 0.99 or 1.01 are within 0.01 (in floats,
    // 0.33 + 0.33 + 0.33 is 0.99 + 9e-18 off): accepted, and renormalised like any row within it
    const edge = await post('/api/v1/predictions', {
      model: 'topic_edge',
      version: 'v1',
      events: [
        { id: 'e1', features: {}, prediction: 'a', scores: { a: 0.33, b: 0.33, c: 0.33 }, label: 'a' },
        { id: 'e2', features: {}, prediction: 'b', scores: { a: 0.6, b: 0.2, c: 0.21 }, label: 'b' },
      ],
    });
    expect(edge.status).toBe(200);
    // sklearn log_loss renormalises each row: (−ln(0.33/0.99) − ln(0.2/1.01)) / 2
    const logLoss = sample(await scrape(s), 'modelwatch_model_log_loss', { model: 'topic_edge', version: 'v1' });
    expect(logLoss).toBeCloseTo((-Math.log(0.33 / 0.99) - Math.log(0.2 / 1.01)) / 2, 12);
  });
});
