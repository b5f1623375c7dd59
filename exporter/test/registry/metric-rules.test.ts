import { describe, expect, it } from 'vitest';
import { DEFAULT_GATES, effectiveGates } from '../../src/registry/gates.js';
import { COUNT_RULE, ERROR_RULE, keepsRule, LATENCY_RULE, metricRule, OTHER_RULE, SCORE_RULE } from '../../src/registry/metric-rules.js';

describe('registry metric ranges', () => {
  it.each([
    ['accuracy', SCORE_RULE],
    ['balanced_accuracy', SCORE_RULE],
    ['f1', SCORE_RULE],
    ['roc_auc', SCORE_RULE],
    ['error_ratio', SCORE_RULE],
    ['latency_ms', LATENCY_RULE],
    ['p95_latency_ms', LATENCY_RULE],
    ['rmse', ERROR_RULE],
    ['mean_absolute_error', ERROR_RULE],
    ['log_loss', ERROR_RULE],
    ['sample_count', COUNT_RULE],
    ['n_samples', COUNT_RULE],
    ['r2', OTHER_RULE],
  ])('%s takes its rule', (metric, rule) => expect(metricRule(metric)).toBe(rule));

  it('bounds latencies as ingest does and refuses what no version can meet', () => {
    expect(keepsRule(86_400_000, LATENCY_RULE)).toBe(true);
    expect(keepsRule(86_400_001, LATENCY_RULE)).toBe(false);
    expect(keepsRule(-1, LATENCY_RULE)).toBe(false);
    expect(keepsRule(1.23e29, SCORE_RULE)).toBe(false);
    expect(keepsRule(2.5, COUNT_RULE)).toBe(false);
    expect(keepsRule(1e101, OTHER_RULE)).toBe(false);
    expect(keepsRule(-1e100, OTHER_RULE)).toBe(true);
  });
});

describe('gate overrides', () => {
  it('replace the stage they name (documented in README and OpenAPI) and leave the other stage at its defaults', () => {
    const g = effectiveGates({ production: { max_latency_ms: 40 } });
    expect(g.production).toEqual({ max_latency_ms: 40 });
    expect(g.staging).toEqual(DEFAULT_GATES.staging);
  });
});
