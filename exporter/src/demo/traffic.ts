import type { Config } from '../config/config.js';
import { events, labelFor, prng, referenceSample, type SyntheticEvent } from '../bench/traffic.js';
import type { Monitor } from '../ingest/monitor.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { NotFoundError } from '../errors.js';
import type { RegistryService } from '../registry/service.js';

const DEMO_MODELS = [
  { model: 'demo-churn', version: 'v3', shift: 0 },
  { model: 'demo-fraud', version: 'v12', shift: 0.6 }, // drifted: PSI above 0.1, retrain recommended
  { model: 'demo-ranker', version: 'v1', shift: 0.15 },
];
const TICK_MS = 2000;

/**
 * Registers each demo model once, with its version in production, so that the registry series
 * (stage, validation accuracy) and the Grafana app have something to show. Later starts on the
 * same data dir find them and leave them as they are.
 */
async function registerDemoModels(registry: RegistryService): Promise<void> {
  for (const d of DEMO_MODELS) {
    try {
      await registry.getModel(d.model);
      continue;
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    await registry.createModel({ name: d.model, description: 'demo model fed by serve --demo', team: 'ml' }, 'demo');
    await registry.registerVersion(d.model, { version: d.version, metrics: { accuracy: 0.9, latency_ms: 20 } }, 'demo');
    for (const to of ['staging', 'production'] as const) {
      await registry.transition(d.model, d.version, { to, reason: 'demo setup' }, 'demo');
    }
  }
}

/** What demo traffic feeds. */
export interface DemoDeps {
  monitor: Monitor;
  registry: RegistryService;
  limits: Config['limits'];
}

/**
 * Demo traffic for `npm start` (`serve --demo`): three models whose reference profiles live in
 * memory only (the registry entries above are the only demo data stored), fed a batch every 2 s straight into the
 * monitor, with half the labels arriving a few ticks later as feedback. The first batch goes
 * in before the server listens, so /metrics shows real series at once. Returns its stop.
 */
export async function startDemoTraffic({ monitor, registry, limits }: DemoDeps): Promise<() => void> {
  await registerDemoModels(registry);
  const rand = prng(2024);
  const { profile } = buildReferenceProfile(referenceSample(rand, 2000), {
    maxFeatures: limits.maxFeaturesPerModel,
    maxCategories: limits.maxCategoriesPerFeature,
  });
  for (const d of DEMO_MODELS) monitor.applyReference(d.model, d.version, profile!);
  const waiting: Array<Array<{ model: string; e: SyntheticEvent }>> = [];
  let tick = 0;
  const step = () => {
    tick++;
    const now: Array<{ model: string; e: SyntheticEvent }> = [];
    for (const d of DEMO_MODELS) {
      const batch = events(rand, 50, `demo-${tick}-`, d.shift, 0.5);
      monitor.applyPredictions({ model: d.model, version: d.version, events: batch as PredictionsBody['events'] });
      for (const e of batch) if (e.label === undefined) now.push({ model: d.model, e });
    }
    waiting.push(now);
    if (waiting.length > 3) {
      for (const d of DEMO_MODELS) {
        const due = waiting[0].filter((w) => w.model === d.model).map((w) => ({ id: w.e.id, label: labelFor(w.e, rand) }));
        if (due.length) monitor.applyFeedback({ model: d.model, events: due });
      }
      waiting.shift();
    }
    if (tick % 15 === 1)
      for (const d of DEMO_MODELS) monitor.applyKpis({ model: d.model, kpis: { conversion_rate: 0.02 + rand() * 0.01 } });
  };
  step();
  const timer = setInterval(step, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
