/**
 * A model with a positive class has at most two classes (README, "Binary scores"): binary score
 * rows, a positive_class, a third class from scores, feedback or a reference upload each get a
 * 400 naming the field, and nothing is applied. (Each route was a 200 with a wrong log loss:
 * 18.62 and 12.86 against sklearn's finite values.)
 */
import { describe, expect, it } from 'vitest';
import { sample, useIngestServer } from './helpers.js';

describe('a model with a positive class has at most two classes', () => {
  const fx = useIngestServer();
  const { post } = fx;
  const rejects = async (res: Response, path: string) => {
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain(path);
  };
  const logLoss = async (model: string) => sample(await fx.scrape(), 'modelwatch_model_log_loss', { model, version: 'v1' });

  it('a 3-class model refuses positive_class and binary score rows; its log loss stays the first row’s', async () => {
    const first = { id: 'a', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'b' };
    expect((await post('/api/v1/predictions', { model: 'mix1', version: 'v1', events: [first] })).status).toBe(200);
    const before = await logLoss('mix1');
    expect(before).toBeCloseTo(-Math.log(0.3), 12);
    const binary = { id: 'b', features: {}, prediction: 'a', score: 0.6, label: 'b' };
    await rejects(
      await post('/api/v1/predictions', { model: 'mix1', version: 'v1', positive_class: 'a', events: [binary] }),
      'positive_class',
    );
    await rejects(await post('/api/v1/predictions', { model: 'mix1', version: 'v1', events: [binary] }), 'positive_class');
    expect(await logLoss('mix1')).toBe(before);
  });

  it('positive_class on a 3-class scores batch is a 400, so binary rows never follow', async () => {
    const row = { id: 'a', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'b' };
    await rejects(
      await post('/api/v1/predictions', { model: 'mix2', version: 'v1', positive_class: 'a', events: [row] }),
      'positive_class',
    );
    expect(await logLoss('mix2')).toBeUndefined();
  });

  it('a binary model with a positive class refuses a third class in scores and in feedback', async () => {
    const b = { model: 'mix3', version: 'v1', positive_class: 'a' };
    const ok = [
      { id: 'a', features: {}, prediction: 'a', score: 0.7, label: 'a' },
      { id: 'b', features: {}, prediction: 'b', score: 0.2 },
    ];
    expect((await post('/api/v1/predictions', { ...b, events: ok })).status).toBe(200);
    const before = await logLoss('mix3');
    const third = { id: 'c', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'c' };
    await rejects(await post('/api/v1/predictions', { model: 'mix3', version: 'v1', events: [third] }), 'events[0].scores');
    await rejects(await post('/api/v1/feedback', { model: 'mix3', events: [{ id: 'b', label: 'c' }] }), 'events[0].label');
    expect(await logLoss('mix3')).toBe(before);
    expect((await post('/api/v1/feedback', { model: 'mix3', events: [{ id: 'b', label: 'b' }] })).status).toBe(200);
  });

  it('a binary yes/no model refuses a multiclass reference with a third label', async () => {
    const events = [
      { id: 'a', features: {}, prediction: 'yes', score: 0.8, label: 'yes' },
      { id: 'b', features: {}, prediction: 'no', score: 0.3, label: 'no' },
    ];
    expect((await post('/api/v1/predictions', { model: 'mix4', version: 'v1', positive_class: 'yes', events })).status).toBe(200);
    const ref = await fx.s.api('/api/v1/models/mix4/versions/v1/reference', {
      method: 'PUT',
      token: fx.ingest,
      json: {
        features: { x: [1, 2, 3] },
        labels: ['yes', 'no', 'maybe'],
        scores: [
          { yes: 0.6, no: 0.3, maybe: 0.1 },
          { yes: 0.2, no: 0.7, maybe: 0.1 },
          { yes: 0.1, no: 0.2, maybe: 0.7 },
        ],
      },
    });
    await rejects(ref, 'scores');
  });
});

/**
 * The same invariant from the registry's side: a positive class is only meaningful for a binary
 * model. Stating one (PUT /positive-class, POST /models) for a model whose traffic brought three
 * classes, a class outside its two, or made it a regression model is a 409 naming positive_class
 * that changes nothing (it was a 200). And a class the registry states keeps the model binary:
 * traffic bringing a third class is a 400 naming the field and how to clear it (it was a 200,
 * and the model went on multiclass under a registry that called it binary).
 */
describe('the registry states a positive class only for a binary model', () => {
  const fx = useIngestServer({ operator: true });
  const { post } = fx;
  const putPositive = (model: string, positive: unknown) =>
    fx.s.api(`/api/v1/models/${model}/positive-class`, { method: 'PUT', json: { positive_class: positive }, token: fx.operator });
  const createModel = (json: unknown) => fx.s.api('/api/v1/models', { method: 'POST', json, token: fx.operator });
  const problem = async (res: Response, status: number, path: string) => {
    expect(res.status).toBe(status);
    const body = (await res.json()) as { code: string; details: Array<{ path: string; message: string }> };
    expect(body.details.map((d) => d.path)).toEqual([path]);
    return body;
  };
  const positiveOf = async (model: string) =>
    ((await (await fx.s.api(`/api/v1/models/${model}`, { token: fx.operator })).json()) as { positive_class: string | null })
      .positive_class;
  const audited = async (model: string) =>
    (
      (await (await fx.s.api('/api/v1/audit?limit=1000', { token: fx.operator })).json()) as {
        entries: Array<{ action: string; model?: string }>;
      }
    ).entries.filter((e) => e.model === model && e.action === 'model.positive_class.update').length;
  const threeClasses = (model: string) =>
    post('/api/v1/predictions', {
      model,
      version: 'v1',
      events: [{ id: 'm0', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 }, label: 'b' }],
    });

  it('PUT on a 3-class model, a class outside a binary model’s two, or a regression model: 409, nothing changed', async () => {
    expect((await threeClasses('multi')).status).toBe(200);
    expect((await createModel({ name: 'multi' })).status).toBe(201);
    const body = await problem(await putPositive('multi', 'a'), 409, 'positive_class');
    expect(body.code).toBe('MW_ERR_CONFLICT');
    expect(body.details[0].message).toMatch(
      /model multi has the classes "a", "b", "c": a positive class is only meaningful for a binary model/,
    );
    expect(await positiveOf('multi')).toBeNull();
    expect(await audited('multi')).toBe(0);
    expect((await putPositive('multi', null)).status).toBe(200);

    const yesNo = [
      { id: 'y0', features: {}, prediction: 'yes', label: 'no' },
      { id: 'y1', features: {}, prediction: 'no', label: 'no' },
    ];
    expect((await post('/api/v1/predictions', { model: 'yn', version: 'v1', events: yesNo })).status).toBe(200);
    expect((await createModel({ name: 'yn' })).status).toBe(201);
    const outside = await problem(await putPositive('yn', 'maybe'), 409, 'positive_class');
    expect(outside.details[0].message).toMatch(/"maybe" is not one of them/);
    expect(await positiveOf('yn')).toBeNull();
    expect((await putPositive('yn', 'yes')).status).toBe(200);

    expect(
      (await post('/api/v1/predictions', { model: 'regr', version: 'v1', events: [{ id: 'r0', features: {}, prediction: 2.5 }] })).status,
    ).toBe(200);
    expect((await createModel({ name: 'regr' })).status).toBe(201);
    const reg = await problem(await putPositive('regr', '1'), 409, 'positive_class');
    expect(reg.details[0].message).toMatch(/regression model/);
    expect(await positiveOf('regr')).toBeNull();
  });

  it('POST /models with a positive_class the model’s traffic contradicts: 409, the model is not created', async () => {
    expect((await threeClasses('multi2')).status).toBe(200);
    await problem(await createModel({ name: 'multi2', positive_class: 'a' }), 409, 'positive_class');
    expect((await fx.s.api('/api/v1/models/multi2', { token: fx.operator })).status).toBe(404);
    expect((await createModel({ name: 'fresh', positive_class: 'a' })).status).toBe(201);
  });

  it('a class the registry states keeps a new model binary: a first batch, feedback or reference with three classes is a 400', async () => {
    // Until a batch settles it, the model has no positive class of its own: only the registry's says it is binary.
    for (const name of ['rb1', 'rb2', 'rb3', 'rb4']) expect((await createModel({ name, positive_class: 'a' })).status).toBe(201);
    const three = [
      { id: 'p0', features: {}, prediction: 'a', label: 'b' },
      { id: 'p1', features: {}, prediction: 'c' },
    ];
    const byPrediction = await problem(
      await post('/api/v1/predictions', { model: 'rb1', version: 'v1', events: three }),
      400,
      'events[1].prediction',
    );
    expect(byPrediction.details[0].message).toMatch(
      /positive class is "a" \(the model registry\), so it is binary: it would get the classes "a", "b", "c"/,
    );
    expect(byPrediction.details[0].message).toMatch(/\{"positive_class": null\}/);
    const scores = [{ id: 'p0', features: {}, prediction: 'a', scores: { a: 0.5, b: 0.3, c: 0.2 } }];
    await problem(await post('/api/v1/predictions', { model: 'rb2', version: 'v1', events: scores }), 400, 'events[0].scores');
    const calibrated = {
      features: { x: [1, 2, 3] },
      labels: ['a', 'b', 'c'],
      scores: [
        { a: 0.6, b: 0.3, c: 0.1 },
        { a: 0.2, b: 0.7, c: 0.1 },
        { a: 0.1, b: 0.2, c: 0.7 },
      ],
    };
    const reference = (model: string, json: unknown) =>
      fx.s.api(`/api/v1/models/${model}/versions/v1/reference`, { method: 'PUT', token: fx.ingest, json });
    await problem(await reference('rb3', calibrated), 400, 'scores');
    // A model known from a reference alone: its labels may bring two classes, not three.
    expect((await reference('rb4', { features: { x: [1, 2, 3] } })).status).toBe(200);
    const labels = ['a', 'b', 'c'].map((label, i) => ({ id: `l${i}`, label }));
    await problem(await post('/api/v1/feedback', { model: 'rb4', events: labels }), 400, 'events[2].label');
    const m = await fx.scrape();
    for (const model of ['rb1', 'rb2']) expect(sample(m, 'modelwatch_predictions_total', { model, version: 'v1' })).toBeUndefined();
    expect(sample(m, 'modelwatch_labels_held', { model: 'rb4' }) ?? 0).toBe(0);
    // Cleared in the registry, the model may be multiclass.
    expect((await putPositive('rb1', null)).status).toBe(200);
    expect((await post('/api/v1/predictions', { model: 'rb1', version: 'v1', events: three })).status).toBe(200);
    expect((await putPositive('rb4', null)).status).toBe(200);
    expect((await post('/api/v1/feedback', { model: 'rb4', events: labels })).status).toBe(200);
  });
});
