/**
 * A value or `task` that does not fit the model's task gets a 400 naming the field and saying
 * what the task expects, how the task was set and how to get the other one — on every route
 * that brings one: /feedback labels, predictions' `task`, reference uploads. (A string label for
 * a regression model got "a regression model needs a numeric label"; a declared task or a
 * reference of the other kind got "model m is a regression model", with no hint.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { detailsOf, sample, useIngestServer } from './helpers.js';

describe('task mismatches say what the task expects', () => {
  const fx = useIngestServer();
  const { post } = fx;
  beforeAll(async () => {
    const reg = { model: 'reg', version: 'v1', events: [{ id: 'r0', features: {}, prediction: 2.5 }] };
    expect((await post('/api/v1/predictions', reg)).status).toBe(200);
    const cls = { model: 'cls', version: 'v1', events: [{ id: 'c0', features: {}, prediction: 'yes' }] };
    expect((await post('/api/v1/predictions', cls)).status).toBe(200);
  });
  const put = (model: string, json: unknown) =>
    fx.s.api(`/api/v1/models/${model}/versions/v1/reference`, { method: 'PUT', json, token: fx.ingest });
  const refused = async (res: Response, path: string) => {
    expect(res.status).toBe(400);
    const details = (await detailsOf(res))!;
    expect(details.map((d) => d.path)).toEqual([path]);
    return details[0].message;
  };
  const regressionHint = (message: string) => {
    expect(message).toMatch(/model reg is a regression model: it takes numeric predictions and labels/);
    expect(message).toMatch(/set by its first batch or reference/);
    expect(message).toMatch(/"task": "classification"/);
  };
  const classificationHint = (message: string) => {
    expect(message).toMatch(/model cls is a classification model: its predictions and labels are class names/);
    expect(message).toMatch(/set by its first batch or reference/);
    expect(message).toMatch(/"task": "regression"/);
  };

  it('feedback: a class label (string or boolean) for a regression model', async () => {
    for (const label of ['yes', true]) {
      const message = await refused(await post('/api/v1/feedback', { model: 'reg', events: [{ id: 'r0', label }] }), 'events[0].label');
      // A boolean label reads as the class name "true".
      expect(message).toContain(`needs a numeric label, not "${String(label)}"`);
      regressionHint(message);
    }
    expect(sample(await fx.scrape(), 'modelwatch_labeled_predictions_total', { model: 'reg' })).toBe(0);
  });

  it('predictions: a declared task other than the model’s', async () => {
    const toReg = { model: 'reg', version: 'v1', task: 'classification', events: [{ id: 'r1', features: {}, prediction: 'a' }] };
    const m1 = await refused(await post('/api/v1/predictions', toReg), 'task');
    expect(m1).toContain('this batch declares "task": "classification"');
    regressionHint(m1);
    const toCls = { model: 'cls', version: 'v1', task: 'regression', events: [{ id: 'c1', features: {}, prediction: 1.5 }] };
    const m2 = await refused(await post('/api/v1/predictions', toCls), 'task');
    expect(m2).toContain('this batch declares "task": "regression"');
    classificationHint(m2);
  });

  it('reference: a classification reference for a regression model, and a declared task for a classifier', async () => {
    const m1 = await refused(await put('reg', { features: { x: [1, 2, 3] }, predictions: ['a', 'b', 'a'] }), 'predictions');
    expect(m1).toContain('this reference is a classification reference');
    regressionHint(m1);
    const m2 = await refused(await put('cls', { task: 'regression', features: { x: [1, 2, 3] }, predictions: [1, 2, 3] }), 'task');
    expect(m2).toContain('this reference declares "task": "regression"');
    classificationHint(m2);
    const m3 = await refused(
      await put('new', { task: 'regression', features: { x: [1, 2, 3] }, predictions: ['a', 'b', 'a'] }),
      'predictions',
    );
    expect(m3).toMatch(/declares "task": "regression", which takes numeric predictions/);
  });
});

/**
 * A label that arrives before its model's task is known is held whatever it is; when the first
 * predictions make the model a regression model, a held class name cannot score one. It is
 * dropped and counted (label_not_numeric) and its prediction keeps waiting for a numeric label —
 * it was counted as a labelled prediction that MAE and RMSE never saw.
 */
describe('a held class label met by a regression model', () => {
  const fx = useIngestServer();
  const { post } = fx;

  it('is dropped as label_not_numeric; the prediction joins a numeric label later', async () => {
    const early = {
      model: 'early',
      events: [
        { id: 'e0', label: 'yes' },
        { id: 'e1', label: 3 },
      ],
    };
    expect(await (await post('/api/v1/feedback', early)).json()).toMatchObject({ held: 2 });
    const predictions = {
      model: 'early',
      version: 'v1',
      events: [
        { id: 'e0', features: {}, prediction: 2.5 },
        { id: 'e1', features: {}, prediction: 2 },
      ],
    };
    const res = await post('/api/v1/predictions', predictions);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, dropped: { label_not_numeric: 1 } });
    let m = await fx.scrape();
    expect(sample(m, 'modelwatch_labeled_predictions_total', { model: 'early' })).toBe(1);
    expect(sample(m, 'modelwatch_model_window_labeled', { model: 'early' })).toBe(1);
    expect(sample(m, 'modelwatch_model_mae', { model: 'early' })).toBe(1);
    expect(sample(m, 'modelwatch_dropped_total', { reason: 'label_not_numeric' })).toBe(1);
    expect(await (await post('/api/v1/feedback', { model: 'early', events: [{ id: 'e0', label: 3.5 }] })).json()).toMatchObject({
      joined: 1,
    });
    m = await fx.scrape();
    expect(sample(m, 'modelwatch_labeled_predictions_total', { model: 'early' })).toBe(2);
    expect(sample(m, 'modelwatch_model_mae', { model: 'early' })).toBe(1);
  });
});
