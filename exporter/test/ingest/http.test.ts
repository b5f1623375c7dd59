import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, samples, scrape, tokenFor } from './helpers.js';

type Details = { error: string; details?: Array<{ path: string; message: string }> };

describe('ingest HTTP API', () => {
  let s: TestServer;
  let ingest: string;
  let viewer: string;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_MAX_BATCH_EVENTS: '20000', MODELWATCH_MAX_BODY_BYTES: String(8 * 1024 * 1024) });
    ingest = await tokenFor(s, 'ingest');
    viewer = await tokenFor(s, 'viewer');
  });
  afterAll(async () => {
    await s.close();
  });

  const post = (path: string, json: unknown, token: string | null = ingest) => s.api(path, { method: 'POST', json, token });

  it('accepts a batch with an ingest token and answers 401 without a token, 403 for a viewer', async () => {
    const body = { model: 'auth-model', version: 'v1', events: [{ id: 'x', features: {}, prediction: 'a' }] };
    expect((await post('/api/v1/predictions', body, null)).status).toBe(401);
    expect((await post('/api/v1/predictions', body, 'mw_aaaaaaaaaaaa_' + 'b'.repeat(43))).status).toBe(401);
    const forbidden = await post('/api/v1/predictions', body, viewer);
    expect(forbidden.status).toBe(403);
    for (const path of ['/api/v1/feedback', '/api/v1/kpis']) expect((await post(path, {}, viewer)).status).toBe(403);
    expect((await s.api('/api/v1/models/auth-model/versions/v1/reference', { method: 'PUT', json: {}, token: viewer })).status).toBe(403);
    const ok = await post('/api/v1/predictions', body);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 1, dropped: {} });
  });

  it('names each bad event and field in a 400 and applies nothing of the batch', async () => {
    const good = { id: 'g1', features: { age: 3 }, prediction: 'yes', label: 'yes' };
    const res = await post('/api/v1/predictions', {
      model: 'strict-model',
      version: 'v1',
      events: [
        good,
        { id: 'b1', features: { age: [1] }, prediction: 'no' },
        good,
        { id: 'b2', features: {}, prediction: 'no', score: 2 },
        { id: 'b3', features: {} },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Details;
    const paths = body.details!.map((d) => d.path);
    expect(paths).toContain('events[1].features.age');
    expect(paths).toContain('events[3].score');
    expect(paths).toContain('events[4].prediction');
    expect(paths.some((p) => p.startsWith('events[0]') || p.startsWith('events[2]'))).toBe(false);
    const series = await scrape(s);
    expect(sample(series, 'modelwatch_predictions_total', { model: 'strict-model' })).toBeUndefined();
    // Once known, the model exists but a rejected batch still leaves its counters alone.
    expect((await post('/api/v1/predictions', { model: 'strict-model', version: 'v1', events: [good] })).status).toBe(200);
    expect(
      (await post('/api/v1/predictions', { model: 'strict-model', version: 'v1', events: [good, { ...good, latency_ms: -1 }] })).status,
    ).toBe(400);
    const after = await scrape(s);
    expect(sample(after, 'modelwatch_predictions_total', { model: 'strict-model', version: 'v1' })).toBe(1);
    expect(sample(after, 'modelwatch_model_window_labeled', { model: 'strict-model', version: 'v1' })).toBe(1);
  });

  it('rejects a regression model event whose prediction or label is not numeric, naming them', async () => {
    expect(
      (await post('/api/v1/predictions', { model: 'reg', version: 'v1', events: [{ id: 1, features: {}, prediction: 2.5, label: 3 }] }))
        .status,
    ).toBe(200);
    const res = await post('/api/v1/predictions', {
      model: 'reg',
      version: 'v1',
      events: [
        { id: 2, features: {}, prediction: 1.5 },
        { id: 3, features: {}, prediction: 'cat', label: 'dog' },
      ],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Details).details!.map((d) => d.path).sort()).toEqual(['events[1].label', 'events[1].prediction']);
    const fb = await post('/api/v1/feedback', { model: 'reg', events: [{ id: 2, label: 'x' }] });
    expect(fb.status).toBe(400);
    expect(((await fb.json()) as Details).details![0].path).toBe('events[0].label');
    const series = await scrape(s);
    expect(sample(series, 'modelwatch_predictions_total', { model: 'reg' })).toBe(1);
    expect(sample(series, 'modelwatch_model_mae', { model: 'reg' })).toBe(0.5);
  });

  it('answers 415 for a non-JSON content type, 400 for broken JSON, 413 for an oversize body', async () => {
    const wrongType = await s.api('/api/v1/predictions', {
      method: 'POST',
      body: 'model=x',
      headers: { 'Content-Type': 'text/plain' },
      token: ingest,
    });
    expect(wrongType.status).toBe(415);
    const broken = await s.api('/api/v1/predictions', {
      method: 'POST',
      body: '{"model":',
      headers: { 'Content-Type': 'application/json' },
      token: ingest,
    });
    expect(broken.status).toBe(400);
    const huge = JSON.stringify({
      model: 'big',
      version: 'v1',
      events: [{ id: 1, features: { pad: 'x'.repeat(1000) }, prediction: 'a' }],
    }).replace('"x', `"${'y'.repeat(9 * 1024 * 1024)}`);
    const tooLarge = await s.api('/api/v1/predictions', {
      method: 'POST',
      body: huge,
      headers: { 'Content-Type': 'application/json' },
      token: ingest,
    });
    expect(tooLarge.status).toBe(413);
  });

  it('accepts 10,000 events in one batch and refuses more than MODELWATCH_MAX_BATCH_EVENTS', async () => {
    const events = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ id: `e${i}`, features: { f: i % 10 }, prediction: i % 2 ? 'a' : 'b' }));
    const ok = await post('/api/v1/predictions', { model: 'batchy', version: 'v1', events: events(10_000) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { accepted: number }).accepted).toBe(10_000);
    const tooMany = await post('/api/v1/predictions', { model: 'batchy', version: 'v1', events: events(20_001) });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as Details).details![0].path).toBe('events');
    expect(sample(await scrape(s), 'modelwatch_predictions_total', { model: 'batchy' })).toBe(10_000);
  });

  it('answers 404 for KPIs about a model never seen; its feedback is held for its first prediction (labels-first.test.ts)', async () => {
    const held = await post('/api/v1/feedback', { model: 'ghost', events: [{ id: 1, label: 'a' }] });
    expect(held.status).toBe(200);
    expect(await held.json()).toMatchObject({ accepted: 1, joined: 0, held: 1 });
    expect((await post('/api/v1/kpis', { model: 'ghost', kpis: { revenue: 1 } })).status).toBe(404);
  });

  it('joins late feedback by id, counts unknown and duplicate labels, and reports KPIs', async () => {
    const events = [
      { id: 'p1', features: {}, prediction: 'cat', scores: { cat: 0.9, dog: 0.1 } },
      { id: 'p2', features: {}, prediction: 'dog', scores: { cat: 0.4, dog: 0.6 } },
      { id: 'p3', features: {}, prediction: 'cat', scores: { cat: 0.7, dog: 0.3 } },
    ];
    expect((await post('/api/v1/predictions', { model: 'pets', version: 'v2', events })).status).toBe(200);
    let series = await scrape(s);
    expect(sample(series, 'modelwatch_model_accuracy_ratio', { model: 'pets' })).toBeUndefined();
    const fb = await post('/api/v1/feedback', {
      model: 'pets',
      events: [
        { id: 'p1', label: 'cat' },
        { id: 'p2', label: 'cat' },
        { id: 'p3', label: 'dog' },
        { id: 'p1', label: 'cat' },
        { id: 'nope', label: 'cat' },
      ],
    });
    expect(fb.status).toBe(200);
    // 'nope' has no prediction yet: its label is held for it (issue 11 §7), not lost.
    expect(await fb.json()).toEqual({ accepted: 4, joined: 3, held: 1, dropped: { duplicate_label: 1 } });
    expect((await post('/api/v1/kpis', { model: 'pets', kpis: { conversion: 0.25, 'revenue usd': 1200 } })).status).toBe(200);
    series = await scrape(s);
    expect(sample(series, 'modelwatch_model_accuracy_ratio', { model: 'pets', version: 'v2' })).toBeCloseTo(1 / 3, 12);
    expect(sample(series, 'modelwatch_feedback_total', { model: 'pets', outcome: 'joined' })).toBe(3);
    expect(sample(series, 'modelwatch_feedback_total', { model: 'pets', outcome: 'duplicate' })).toBe(1);
    // A label held for a prediction still to come counts as unknown_prediction only once it expires
    // (test/ingest/early-labels.test.ts); until then it is a held label.
    expect(sample(series, 'modelwatch_labels_held', { model: 'pets' })).toBe(1);
    expect(sample(series, 'modelwatch_feedback_total', { model: 'pets', outcome: 'unknown_prediction' })).toBeUndefined();
    expect(sample(series, 'modelwatch_correct_predictions_total', { model: 'pets' })).toBe(1);
    // log loss over p(true): cat 0.9, cat 0.4, dog 0.3
    expect(sample(series, 'modelwatch_model_log_loss', { model: 'pets' })).toBeCloseTo(
      -(Math.log(0.9) + Math.log(0.4) + Math.log(0.3)) / 3,
      12,
    );
    expect(sample(series, 'modelwatch_business_kpi', { model: 'pets', kpi: 'revenue usd' })).toBe(1200);
    // Averages are their own series (issue 14), never a value of `class`.
    expect(sample(series, 'modelwatch_model_precision_averaged_ratio', { model: 'pets', average: 'macro' })).toBeCloseTo((0.5 + 0) / 2, 12);
    expect(samples(series, 'modelwatch_model_precision_ratio', { model: 'pets' }).filter((x) => /class="_/.test(x.key))).toEqual([]);
  });

  it('documents every ingest endpoint in the OpenAPI document', async () => {
    const doc = (await (await s.api('/api/v1/openapi.json', { token: null })).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties: Record<string, unknown> }> };
    };
    expect(Object.keys(doc.paths['/api/v1/predictions'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/feedback'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/kpis'])).toEqual(['post']);
    expect(Object.keys(doc.paths['/api/v1/models/{model}/versions/{version}/reference'])).toEqual(['put']);
    const op = doc.paths['/api/v1/predictions'].post as {
      requestBody: { content: { 'application/json': { schema: { $ref: string } } } };
    };
    // The body schema is a named component ($ref), resolved here.
    const schema = doc.components.schemas[op.requestBody.content['application/json'].schema.$ref.split('/').at(-1)!];
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['model', 'version', 'events']));
  });
});
