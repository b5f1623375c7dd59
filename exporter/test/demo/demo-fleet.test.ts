import { expect, it } from 'vitest';
import { prng } from '../../src/demo/synthetic-traffic.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_FLEET, demoEvents, demoReference } from '../../src/demo/fleet.js';
import { Monitor } from '../../src/ingest/monitor.js';
import { buildReferenceProfile } from '../../src/ingest/reference-profile.js';
import type { PredictionsBody } from '../../src/ingest/schemas.js';
import { DEFAULT_GATES } from '../../src/registry/gates.js';
import { versionStatus } from '../../src/status/version-status.js';

const MINUTE = 60_000;

/**
 * Each demo model's verdict `minutes` into the demo: 400 labelled events per minute drawn as
 * the demo draws them, all still inside the one-hour window, as in the running demo.
 */
function verdicts(minutes: number): Record<string, { verdict: string; checks: string[] }> {
  const config = loadConfig({ MODELWATCH_DATA_DIR: '/nonexistent' });
  const now = 1_700_000_000_000;
  const monitor = new Monitor(config, () => now);
  const { profile } = buildReferenceProfile(demoReference(2000), { maxFeatures: 50, maxCategories: 50 });
  const rand = prng(7);
  const out: Record<string, { verdict: string; checks: string[] }> = {};
  for (const d of DEMO_FLEET) {
    monitor.applyReference(d.model, d.version, profile!);
    for (let m = 0; m <= minutes; m++) {
      const events = demoEvents(d, rand, 400, `e${m}-`, m * MINUTE, 1);
      monitor.applyPredictions({ model: d.model, version: d.version, events: events as PredictionsBody['events'] });
    }
    const model = monitor.models.get(d.model)!;
    const status = versionStatus(model, model.versions.get(d.version)!, config, DEFAULT_GATES.production, now);
    out[d.model] = { verdict: status.health.verdict, checks: [...new Set(status.health.reasons.map((r) => r.check))] };
  }
  return out;
}

it('starts the demo fleet green', () => {
  for (const [model, v] of Object.entries(verdicts(0))) expect([model, v]).toEqual([model, { verdict: 'healthy', checks: [] }]);
});

it('after 12 minutes: healthy models stay green; one drifts, one loses accuracy, one is too slow', () => {
  expect(verdicts(12)).toEqual({
    'demo-churn': { verdict: 'healthy', checks: [] },
    'demo-ranker': { verdict: 'healthy', checks: [] },
    'demo-search': { verdict: 'healthy', checks: [] },
    'demo-fraud': { verdict: 'failing', checks: ['feature_psi'] },
    'demo-credit': { verdict: 'failing', checks: ['min_accuracy'] },
    'demo-pricing': { verdict: 'failing', checks: ['max_latency_ms'] },
  });
});

it('drifts gradually: amber (PSI above 0.1) before red', () => {
  const fraud = [1, 2, 3, 4, 5, 6, 7, 8].map((m) => verdicts(m)['demo-fraud'].verdict);
  expect(fraud[0]).toBe('healthy');
  expect(fraud).toContain('degraded');
  expect(fraud.at(-1)).toBe('failing');
  // never back to green once amber
  expect(fraud.slice(fraud.indexOf('degraded'))).not.toContain('healthy');
});
