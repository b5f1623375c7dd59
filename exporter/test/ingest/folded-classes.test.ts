/**
 * Classes folded at the cardinality bounds (MODELWATCH_MAX_LABEL_VALUE_LENGTH,
 * MODELWATCH_MAX_CLASSES_PER_MODEL) share the fold bucket's series, but right and wrong are
 * decided on the exact class names: accuracy, the confusion-derived statistics and log loss's
 * true-class probability are sklearn's on the names sent, and agree with
 * modelwatch_correct_predictions_total. Right values: scripts/reference/generate.py
 * (classes_cases).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { generateReferenceData, type ReferenceData } from '../stats/reference-data.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe('classes folded at the bounds are still told apart', () => {
  let s: TestServer;
  let ingest: string;
  let ref: ReferenceData['classes'];
  beforeAll(async () => {
    ref = generateReferenceData().classes;
    s = await startTestServer({});
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (json: unknown) => s.api('/api/v1/predictions', { method: 'POST', json, token: ingest });

  it("two names longer than the label bound are two classes: accuracy 0 and sklearn's log loss (they were 1.0 and 0.0)", async () => {
    const events = ref.longNames.events.map((e, i) => ({ id: `l${i}`, features: {}, ...e }));
    const res = await post({ model: 'long_names', version: 'v1', events });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { dropped: Record<string, number>; folded_classes?: string[] };
    // A long name is not folded: it keeps its own class under a bounded label (prefix, "~", hash).
    expect(body.dropped.class_folded).toBeUndefined();
    expect(body.folded_classes).toBeUndefined();
    const m = await scrape(s);
    const mv = { model: 'long_names', version: 'v1' };
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBe(ref.longNames.accuracy);
    expect(sample(m, 'modelwatch_model_log_loss', mv)).toBeCloseTo(ref.longNames.logLoss, 12);
    expect(sample(m, 'modelwatch_correct_predictions_total', mv)).toBe(0);
    for (const name of ['A'.repeat(70), 'B'.repeat(70)]) {
      const label = `${name.slice(0, 55)}~${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
      expect(sample(m, 'modelwatch_model_recall_ratio', { ...mv, class: label })).toBe(0);
    }
    expect(sample(m, 'modelwatch_model_recall_ratio', { ...mv, class: '__other__' })).toBeUndefined();
  });

  it("classes beyond the class bound: accuracy and log loss are sklearn's over the 60 names (accuracy was 1.0 against 0.857)", async () => {
    const events = ref.manyClasses.events.map((e, i) => ({ id: `m${i}`, features: {}, ...e }));
    // The labels come later through /feedback as well as inline: both paths decide on exact names.
    const inline = events.slice(0, 35);
    const later = events.slice(35);
    expect((await post({ model: 'many_classes', version: 'v1', events: inline })).status).toBe(200);
    expect((await post({ model: 'many_classes', version: 'v1', events: later.map(({ label: _l, ...e }) => e) })).status).toBe(200);
    const fb = await s.api('/api/v1/feedback', {
      method: 'POST',
      json: { model: 'many_classes', events: later.map((e) => ({ id: e.id, label: e.label })) },
      token: ingest,
    });
    expect(fb.status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'many_classes', version: 'v1' };
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBeCloseTo(ref.manyClasses.accuracy, 12);
    expect(sample(m, 'modelwatch_model_log_loss', mv)).toBeCloseTo(ref.manyClasses.logLoss, 12);
    expect(sample(m, 'modelwatch_correct_predictions_total', mv)).toBe(60);
    expect(sample(m, 'modelwatch_model_window_labeled', mv)).toBe(70);
  });
});
