/**
 * Issue 11 §2 and §4 over HTTP (cases 2 and 4): binary scores are the probability of one positive
 * class, stated or unambiguous, and every binary statistic reads that class's probability
 * whatever order the classes were first seen in. Right values: scripts/reference/generate.py
 * (sklearn).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { generateReferenceData, type ReferenceData } from '../stats/reference-data.js';
import { sample, samples, scrape, tokenFor } from './helpers.js';

type Details = { error: string; code: string; details?: Array<{ path: string; message: string }> };

describe('the positive class of binary scores', () => {
  let s: TestServer;
  let ingest: string;
  let ref: ReferenceData['ingest'];
  beforeAll(async () => {
    ref = generateReferenceData().ingest;
    s = await startTestServer({});
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (path: string, json: unknown) => s.api(path, { method: 'POST', json, token: ingest });
  const churnEvents = () => ref.churn.events.map((e, i) => ({ id: `c${i + 1}`, features: {}, ...e }));

  it('case 2: yes/no labels with a score and no positive class are a 400 naming positive_class, and change nothing', async () => {
    const res = await post('/api/v1/predictions', { model: 'churn_yes_no', version: 'v1', events: churnEvents() });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Details;
    expect(body.code).toBe('MW_ERR_INVALID_INPUT');
    const problem = body.details!.find((d) => d.path === 'positive_class');
    expect(problem?.message).toMatch(/\{0, 1\}.*\{"0", "1"\}.*\{false, true\}/);
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_predictions_total', { model: 'churn_yes_no' })).toBeUndefined();
  });

  it('case 2: with positive_class "yes" the AUC, log loss, accuracy and the positive class\'s precision/recall/F1 are sklearn\'s; no phantom class', async () => {
    const res = await post('/api/v1/predictions', { model: 'churn_stated', version: 'v1', positive_class: 'yes', events: churnEvents() });
    expect(res.status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'churn_stated', version: 'v1' };
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', mv)! - ref.churn.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(sample(m, 'modelwatch_model_log_loss', mv)).toBeCloseTo(ref.churn.logLoss, 9);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBeCloseTo(ref.churn.accuracy, 12);
    expect(sample(m, 'modelwatch_model_precision_ratio', { ...mv, class: 'yes' })).toBeCloseTo(ref.churn.precision!, 12);
    expect(sample(m, 'modelwatch_model_recall_ratio', { ...mv, class: 'yes' })).toBeCloseTo(ref.churn.recall!, 12);
    expect(sample(m, 'modelwatch_model_f1_score', { ...mv, class: 'yes' })).toBeCloseTo(ref.churn.f1!, 12);
    const classes = samples(m, 'modelwatch_model_precision_ratio', mv).map((x) => /class="([^"]*)"/.exec(x.key)![1]);
    expect(classes.sort()).toEqual(['no', 'yes']);
    // The averages are their own series (issue 14), never a class value.
    const averages = samples(m, 'modelwatch_model_precision_averaged_ratio', mv).map((x) => /average="([^"]*)"/.exec(x.key)![1]);
    expect(averages.sort()).toEqual(['macro', 'weighted']);
  });

  it('the positive class may come from the reference upload, and a model keeps one', async () => {
    const put = await s.api('/api/v1/models/churn_ref/versions/v1/reference', {
      method: 'PUT',
      json: { features: { x: [1, 2, 3] }, positive_class: 'yes' },
    });
    expect(put.status).toBe(200);
    expect((await post('/api/v1/predictions', { model: 'churn_ref', version: 'v1', events: churnEvents() })).status).toBe(200);
    const m = await scrape(s);
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', { model: 'churn_ref' })! - ref.churn.rocAuc)).toBeLessThanOrEqual(0.005);
    const other = await post('/api/v1/predictions', { model: 'churn_ref', version: 'v1', positive_class: 'no', events: churnEvents() });
    expect(other.status).toBe(400);
    expect(((await other.json()) as Details).details!.map((d) => d.path)).toEqual(['positive_class']);
  });

  it("the positive class may come from the model's registry entry: a yes/no model gets sklearn's values; other sources must agree", async () => {
    const operator = await tokenFor(s, 'operator');
    const created = await s.api('/api/v1/models', {
      method: 'POST',
      json: { name: 'churn_registry', positive_class: 'yes' },
      token: operator,
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ positive_class: 'yes' });
    expect((await post('/api/v1/predictions', { model: 'churn_registry', version: 'v1', events: churnEvents() })).status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'churn_registry', version: 'v1' };
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', mv)! - ref.churn.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(sample(m, 'modelwatch_model_log_loss', mv)).toBeCloseTo(ref.churn.logLoss, 9);
    expect(sample(m, 'modelwatch_model_precision_ratio', { ...mv, class: 'yes' })).toBeCloseTo(ref.churn.precision!, 12);
    expect(sample(m, 'modelwatch_model_recall_ratio', { ...mv, class: 'yes' })).toBeCloseTo(ref.churn.recall!, 12);
    // a request stating another class than the registry's is a 400, and changes nothing
    const before = await scrape(s);
    const other = await post('/api/v1/predictions', {
      model: 'churn_registry',
      version: 'v1',
      positive_class: 'no',
      events: churnEvents().map((e) => ({ ...e, id: `x${e.id}` })),
    });
    expect(other.status).toBe(400);
    const problem = ((await other.json()) as Details).details!;
    expect(problem.map((d) => d.path)).toEqual(['positive_class']);
    expect(problem[0]!.message).toMatch(/registry/);
    expect(sample(await scrape(s), 'modelwatch_predictions_total', mv)).toBe(sample(before, 'modelwatch_predictions_total', mv));

    // set later through PUT /positive-class (the CLI's register --positive-class), on a model that has not sent yet
    const put = await s.api('/api/v1/models/churn_registry_later/positive-class', {
      method: 'PUT',
      json: { positive_class: 'yes' },
      token: operator,
    });
    expect(put.status).toBe(404);
    await s.api('/api/v1/models', { method: 'POST', json: { name: 'churn_registry_later' }, token: operator });
    const refused = await post('/api/v1/predictions', { model: 'churn_registry_later', version: 'v1', events: churnEvents() });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Details).details!.map((d) => d.path)).toEqual(['positive_class']);
    const set = await s.api('/api/v1/models/churn_registry_later/positive-class', {
      method: 'PUT',
      json: { positive_class: 'yes', reason: 'scores are P(churn)' },
      token: operator,
    });
    expect(set.status).toBe(200);
    expect((await post('/api/v1/predictions', { model: 'churn_registry_later', version: 'v1', events: churnEvents() })).status).toBe(200);
    expect(sample(await scrape(s), 'modelwatch_model_log_loss', { model: 'churn_registry_later' })).toBeCloseTo(ref.churn.logLoss, 9);
    // a change in the registry applies at once (README), replacing the class the model settled
    // on: the next batch's scores are P("no"); a request stating the old class is the conflict now
    await s.api('/api/v1/models/churn_registry_later/positive-class', { method: 'PUT', json: { positive_class: 'no' }, token: operator });
    const changed = await post('/api/v1/predictions', {
      model: 'churn_registry_later',
      version: 'v1',
      events: churnEvents().map((e) => ({ ...e, id: `y${e.id}`, score: 1 - e.score })),
    });
    expect(changed.status).toBe(200);
    expect(sample(await scrape(s), 'modelwatch_model_log_loss', { model: 'churn_registry_later' })).toBeCloseTo(ref.churn.logLoss, 9);
    const conflict = await post('/api/v1/predictions', {
      model: 'churn_registry_later',
      version: 'v1',
      positive_class: 'yes',
      events: churnEvents().map((e) => ({ ...e, id: `z${e.id}` })),
    });
    expect(conflict.status).toBe(400);
    expect(((await conflict.json()) as Details).details!.map((d) => d.path)).toEqual(['positive_class']);
  });

  it("a reference upload is checked against the registry's positive class and the model's, naming both sources; nothing is stored", async () => {
    const operator = await tokenFor(s, 'operator');
    await s.api('/api/v1/models', { method: 'POST', json: { name: 'churn_ref_registry', positive_class: 'yes' }, token: operator });
    const put = (model: string, json: unknown) =>
      s.api(`/api/v1/models/${model}/versions/v1/reference`, { method: 'PUT', json, token: ingest });
    const refused = await put('churn_ref_registry', { features: { x: [1, 2, 3] }, positive_class: 'no' });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as Details;
    expect(body.details!.map((d) => d.path)).toEqual(['positive_class']);
    expect(body.details![0]!.message).toMatch(/"no" \(this reference\).*"yes" \(the model registry\)/);
    // nothing stored or installed: no reference, the model untouched
    expect((await s.parts.references.list()).some((r) => r.model === 'churn_ref_registry')).toBe(false);
    expect([...(await scrape(s)).keys()].some((k) => k.includes('churn_ref_registry'))).toBe(false);
    // the same profile in the registry's class, and one stating none, are accepted
    expect((await put('churn_ref_registry', { features: { x: [1, 2, 3] }, positive_class: 'yes' })).status).toBe(200);
    expect((await put('churn_ref_registry', { features: { x: [1, 2, 3] } })).status).toBe(200);
    // a model that settled its class from a batch keeps it against a later reference too
    expect(
      (await post('/api/v1/predictions', { model: 'churn_batch', version: 'v1', positive_class: 'yes', events: churnEvents() })).status,
    ).toBe(200);
    const late = await put('churn_batch', { features: { x: [1, 2, 3] }, positive_class: 'no' });
    expect(late.status).toBe(400);
    expect(((await late.json()) as Details).details![0]!.message).toMatch(/"no" \(this reference\).*"yes" \(stated or inferred earlier\)/);
  });

  it("a reference with yes/no labels and a score takes the registry's (or the model's settled) positive class when it states none", async () => {
    const operator = await tokenFor(s, 'operator');
    await s.api('/api/v1/models', { method: 'POST', json: { name: 'churn_ref_default', positive_class: 'yes' }, token: operator });
    const calibrated = {
      features: { x: [1, 2, 3, 4, 5, 6] },
      predictions: ['yes', 'no', 'yes', 'no', 'yes', 'no'],
      labels: ['yes', 'no', 'yes', 'no', 'no', 'yes'],
      score: [0.9, 0.1, 0.8, 0.2, 0.6, 0.4],
    };
    const put = (model: string) =>
      s.api(`/api/v1/models/${model}/versions/v1/reference`, { method: 'PUT', json: calibrated, token: ingest });
    const fromRegistry = await put('churn_ref_default');
    expect(fromRegistry.status).toBe(200);
    expect(((await fromRegistry.json()) as { calibration?: { kind: string } }).calibration?.kind).toBe('binary');
    // then predictions stating none are scored against it: the class is the registry's
    expect((await post('/api/v1/predictions', { model: 'churn_ref_default', version: 'v1', events: churnEvents() })).status).toBe(200);
    // a model that settled "yes" from a batch: the reference needs no positive_class either
    expect(
      (await post('/api/v1/predictions', { model: 'churn_settled_default', version: 'v1', positive_class: 'yes', events: churnEvents() }))
        .status,
    ).toBe(200);
    expect((await put('churn_settled_default')).status).toBe(200);
    // with neither, the class cannot be told: still a 400 naming positive_class
    const unknown = await put('churn_ref_unknown');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as Details).details!.map((d) => d.path)).toEqual(['positive_class']);
  });

  it('{0, 1}, {"0", "1"} and {false, true} need no positive class; the positive one is 1, "1", true', async () => {
    for (const [model, neg, pos] of [
      ['num01', 0, 1],
      ['str01', '0', '1'],
      ['bool', 'false', 'true'],
      ['json_bool', false, true],
    ] as const) {
      const events = ref.churn.events.map((e, i) => ({
        id: `b${i}`,
        features: {},
        prediction: e.prediction === 'yes' ? pos : neg,
        score: e.score,
        label: e.label === 'yes' ? pos : neg,
      }));
      const res = await post('/api/v1/predictions', { model, version: 'v1', events });
      expect(res.status, model).toBe(200);
      const m = await scrape(s);
      expect(sample(m, 'modelwatch_model_log_loss', { model }), model).toBeCloseTo(ref.churn.logLoss, 9);
    }
  });

  it('case 4: binary AUC reads the positive class whatever class was seen first: the first batch all predicted and labelled positive', async () => {
    const events = ref.order.events.map((e, i) => ({ id: `o${i}`, features: {}, ...e }));
    const allPositive = events.filter((e) => e.prediction === '1' && e.label === '1');
    const rest = events.filter((e) => !(e.prediction === '1' && e.label === '1'));
    expect((await post('/api/v1/predictions', { model: 'order_a', version: 'v1', events: allPositive.slice(0, 50) })).status).toBe(200);
    expect(
      (await post('/api/v1/predictions', { model: 'order_a', version: 'v1', events: [...allPositive.slice(50), ...rest] })).status,
    ).toBe(200);
    // The same events, the negative class first, in other batches.
    const reversed = [...events].reverse();
    for (let i = 0; i < reversed.length; i += 300) {
      expect((await post('/api/v1/predictions', { model: 'order_b', version: 'v1', events: reversed.slice(i, i + 300) })).status).toBe(200);
    }
    const m = await scrape(s);
    const a = sample(m, 'modelwatch_model_roc_auc', { model: 'order_a' })!;
    const b = sample(m, 'modelwatch_model_roc_auc', { model: 'order_b' })!;
    expect(Math.abs(a - ref.order.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(a).toBe(b);
    expect(sample(m, 'modelwatch_model_log_loss', { model: 'order_a' })).toBeCloseTo(ref.order.logLoss, 9);
    expect(sample(m, 'modelwatch_model_log_loss', { model: 'order_b' })).toBeCloseTo(ref.order.logLoss, 9);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', { model: 'order_a' })).toBeCloseTo(ref.order.accuracy, 12);
  });
});
