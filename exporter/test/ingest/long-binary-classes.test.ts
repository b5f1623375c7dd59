/**
 * A binary model whose two class names are both longer than MODELWATCH_MAX_LABEL_VALUE_LENGTH
 * (default 64): each gets its own bounded label (a prefix, "~" and a short hash), so the positive
 * and negative class stay apart and ROC AUC and log loss are sklearn's on the names sent. (Both
 * folded into __other__: log loss was 0.8574, the mean −ln score whatever the label, and ROC AUC
 * had no series.) Right values: scripts/reference/generate.py (classes_cases, longBinary).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { generateReferenceData, type ReferenceData } from '../stats/reference-data.js';
import { sample, scrape, tokenFor } from './helpers.js';

describe('two long class names of a binary model stay two classes', () => {
  let s: TestServer;
  let ingest: string;
  let ref: ReferenceData['classes']['longBinary'];
  beforeAll(async () => {
    ref = generateReferenceData().classes.longBinary;
    s = await startTestServer({});
    ingest = await tokenFor(s, 'ingest');
  });
  afterAll(async () => {
    await s.close();
  });

  it("ROC AUC and log loss are sklearn's (log loss was 0.8574, ROC AUC missing)", async () => {
    const events = ref.events.map((e, i) => ({ id: `e${i}`, features: {}, ...e }));
    const res = await s.api('/api/v1/predictions', {
      method: 'POST',
      json: { model: 'long_binary', version: 'v1', positive_class: ref.positive, events },
      token: ingest,
    });
    expect(res.status).toBe(200);
    const m = await scrape(s);
    const mv = { model: 'long_binary', version: 'v1' };
    expect(sample(m, 'modelwatch_model_log_loss', mv)).toBeCloseTo(ref.logLoss, 12);
    expect(Math.abs(sample(m, 'modelwatch_model_roc_auc', mv)! - ref.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(sample(m, 'modelwatch_model_accuracy_ratio', mv)).toBe(ref.accuracy);
    // Each class has its own bounded label: 55 characters of the name, "~" and 8 hex digits.
    const label = `${ref.positive.slice(0, 55)}~${createHash('sha256').update(ref.positive).digest('hex').slice(0, 8)}`;
    expect(label.length).toBe(64);
    expect(sample(m, 'modelwatch_model_recall_ratio', { ...mv, class: label })).toBe(0.5);
    const status = await s.api('/api/v1/models/long_binary/status?version=v1');
    expect(status.status).toBe(200);
    const body = (await status.json()) as { quality: { roc_auc: number | null; log_loss: number | null } };
    expect(Math.abs(body.quality.roc_auc! - ref.rocAuc)).toBeLessThanOrEqual(0.005);
    expect(body.quality.log_loss).toBeCloseTo(ref.logLoss, 12);
  });
});
