/**
 * modelwatch_retrain_recommended and the status verdict judge each model by the thresholds its
 * retraining alert uses. The rules' per-model overrides (alert-rules/src/config.ts: fraud_detector
 * retrains under 0.92 accuracy and over 0.05 PSI) reach the exporter through the file the rules
 * generator writes, read here as committed (alert-rules/generated/retrain-thresholds.json).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config as rulesConfig } from '@modelwatch/alert-rules/config';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { sample, scrape, tokenFor } from '../ingest/helpers.js';

const GENERATED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../alert-rules/generated/retrain-thresholds.json');

describe('per-model retraining thresholds from the rules generator', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MODELWATCH_RETRAIN_THRESHOLDS_FILE: GENERATED });
    const ingest = await tokenFor(s, 'ingest');
    // 340 right of 400 (0.85, Wilson upper end 0.883): over the fleet-wide 0.85, under fraud_detector's 0.92.
    for (const model of ['fraud_detector', 'churn_classifier']) {
      const events = Array.from({ length: 400 }, (_, i) => ({
        id: `${model}${i}`,
        features: {},
        prediction: 'a',
        label: i < 340 ? 'a' : 'b',
      }));
      const res = await s.api('/api/v1/predictions', { method: 'POST', json: { model, version: 'v1', events }, token: ingest });
      expect(res.status).toBe(200);
    }
  });
  afterAll(async () => {
    await s.close();
  });

  it('the committed file carries the rules config override the test relies on', () => {
    expect(rulesConfig.models.fraud_detector?.retrainAccuracyBelow).toBe(0.92);
    expect(rulesConfig.defaults.retrainAccuracyBelow).toBe(loadConfig({}).retrain.minAccuracy);
    expect(rulesConfig.defaults.retrainDriftPsiAbove).toBe(loadConfig({}).retrain.maxPsi);
  });

  it('the overridden model is recommended for retraining; the same numbers elsewhere are not', async () => {
    const m = await scrape(s);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'fraud_detector' })).toBe(1);
    expect(sample(m, 'modelwatch_retrain_recommended', { model: 'churn_classifier' })).toBe(0);
  });

  it('the status verdict names the override and where it came from', async () => {
    const status = await (await s.api('/api/v1/models/fraud_detector/status')).json();
    const reason = status.health.reasons.find((r: { check: string }) => r.check === 'retrain_min_accuracy');
    expect(reason).toMatchObject({ severity: 'warning', threshold: 0.92 });
    expect(reason.message).toContain('MODELWATCH_RETRAIN_THRESHOLDS_FILE');
    const other = await (await s.api('/api/v1/models/churn_classifier/status')).json();
    expect(other.health.reasons).not.toContainEqual(expect.objectContaining({ check: 'retrain_min_accuracy' }));
  });
});

describe('MODELWATCH_RETRAIN_THRESHOLDS_FILE refused at start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-retrain-'));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  it.each([
    ['missing file', path.join(dir, 'absent.json'), /absent\.json: ENOENT/],
    ['not JSON', write('bad.json', '{models:'), /bad\.json: /],
    ['accuracy above 1', write('big.json', '{"models":{"m":{"min_accuracy":1.5}}}'), /models\.m\.min_accuracy/],
    ['misspelt threshold', write('typo.json', '{"models":{"m":{"min_acuracy":0.9}}}'), /models\.m: .*min_acuracy/],
  ])('%s', (_, file, message) => {
    expect(() => loadConfig({ MODELWATCH_RETRAIN_THRESHOLDS_FILE: file })).toThrow(ConfigError);
    expect(() => loadConfig({ MODELWATCH_RETRAIN_THRESHOLDS_FILE: file })).toThrow(message);
  });
});
